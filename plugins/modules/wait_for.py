#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: wait_for
version_added: 0.1.0
short_description: Wait until CloudFront-managed certificates of distribution tenants reach a status
description:
  - Waits until the CloudFront-managed ACM certificate of one distribution tenant, of several
    tenants, or of every tenant of a multi-tenant distribution or connection group, is in one of
    the statuses O(status) (by default V(issued)), polling C(cloudfront:GetManagedCertificateDetails).
  - Fails at once when a certificate reaches a status it never leaves and that is not one of
    O(status) (V(failed), V(validation-timed-out), V(revoked), V(expired), V(inactive)), when a
    tenant does not exist or has no managed certificate, on C(AccessDenied) and when credentials
    are missing or rejected.
  - Throttling, server errors (HTTP 5xx), connection errors and timeouts are retried with
    jittered exponential backoff until O(timeout); with several tenants a throttled answer slows
    the whole fleet down, not only the tenant that got it.
  - On timeout the task fails naming each certificate not yet done with its last status and, for
    V(self-hosted) validation still pending, each C(redirect_from -> redirect_to) the current web
    server still has to serve. A failed wait returns the same keys as a successful one, holding
    what was seen last.
  - Prints one line per status change as it happens (the identifier, the new status and the
    seconds elapsed). With several tenants the first observation is one summary line with the
    number of certificates in each status, and changes seen within 5 seconds (or O(sleep), if
    shorter) of each other are printed together. C(-v) adds a line per polling round.
  - Runs on the task's host like any AWS module, so C(delegate_to), the host's credentials and
    C(module_defaults) for C(group/edge.cloudfront.aws) apply. An action plugin drives this
    module, which polls in one process with one client and reports back at least once a minute.
  - Choose the tenants exactly one way, with O(identifier), O(domain), O(identifiers), or the
    filters O(distribution_id) and O(connection_group_id).
  - CloudFront is a global service. The module works whatever O(region) says; with no region
    configured at all it signs requests for C(us-east-1), also with a custom O(endpoint_url).
  - To read certificates without waiting, use M(edge.cloudfront.cloudfront_managed_certificate_info).
author:
  - edge.cloudfront founding engineers (@edge-cloudfront)
options:
  identifier:
    description:
      - The ARN, ID or name of one distribution tenant.
      - An ID or name has 1 to 128 ASCII letters, digits, V(-), V(_) and V(.), and does not start with V(.).
    type: str
  domain:
    description:
      - A domain served by the distribution tenant, for example V(www.example.com).
      - The tenant is found once, with C(cloudfront:GetDistributionTenantByDomain). A domain no
        tenant serves fails the task.
    type: str
  identifiers:
    description:
      - The ARNs, IDs or names of several distribution tenants. The wait is done when every
        certificate is in one of O(status).
    type: list
    elements: str
  distribution_id:
    description:
      - Wait for every tenant of this multi-tenant distribution that has a CloudFront-managed
        certificate. Tenants without one are left out.
      - A filter that matches no tenant with a managed certificate fails at once.
    type: str
  connection_group_id:
    description:
      - Wait for every tenant in this connection group that has a CloudFront-managed certificate.
      - With O(distribution_id), both filters apply.
    type: str
  status:
    description:
      - The statuses to wait for.
    type: list
    elements: str
    choices: ['pending-validation', 'issued', 'inactive', 'expired', 'validation-timed-out', 'revoked', 'failed']
    default: ['issued']
  timeout:
    description:
      - How many seconds to wait in all, O(delay) included. Must be more than 0.
      - Sleeps and retry backoffs are cut at the deadline, so RV(elapsed) exceeds it by at most
        the one request in flight when it passed.
    type: int
    default: 1800
  delay:
    description:
      - Seconds to wait before the first poll. Not in check mode.
    type: int
    default: 0
  sleep:
    description:
      - Seconds between two polls of one certificate. At least 1.
      - With several tenants the first polls are spread over one O(sleep) interval, so a fleet of
        N tenants makes at most N x 60 / O(sleep) requests a minute, retries aside.
    type: int
    default: 15
  max_concurrency:
    description:
      - How many requests may be in flight at once when waiting for several tenants. From 1 to 32.
    type: int
    default: 4
  msg:
    description:
      - The message of the failure on timeout, instead of the default one.
    type: str
  _wait_state:
    description:
      - "Internal: set by the edge.cloudfront.wait_for action plugin between rounds; do not set it."
    type: dict
notes:
  - Requires botocore and boto3 >= 1.38.4, the first release that knows C(GetManagedCertificateDetails).
    With an older SDK the task fails with a message naming the version it found.
  - "IAM permissions: C(cloudfront:GetManagedCertificateDetails); with O(domain) also
    C(cloudfront:GetDistributionTenantByDomain); with O(distribution_id) or O(connection_group_id)
    also C(cloudfront:ListDistributionTenants). A missing permission fails the task naming the IAM action."
  - Check mode polls each certificate once and returns what it saw, without waiting (O(delay)
    included) and without failing on a status. Errors still fail.
  - The task never changes anything; RV(changed) is always false.
  - Unlike M(ansible.builtin.wait_for), use the fully qualified name C(edge.cloudfront.wait_for).
  - The action is in the action group C(edge.cloudfront.aws), which extends C(amazon.aws.aws), so
    C(module_defaults) for C(group/edge.cloudfront.aws) apply to it and to the amazon.aws modules.
attributes:
  action:
    support: full
    description: Driven by an action plugin of the same name, which runs this module on the task's host.
  async:
    support: none
    description: The action plugin keeps the deadline itself; it cannot run with C(async).
  check_mode:
    support: full
    description: Polls each certificate once and returns what it saw, without waiting.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
  platform:
    platforms: all
    support: full
    description: Runs on the task's host, usually C(localhost).
seealso:
  - module: edge.cloudfront.cloudfront_managed_certificate_info
  - name: GetManagedCertificateDetails API reference
    description: The API call behind this action.
    link: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GetManagedCertificateDetails.html
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Wait until the certificate of one tenant is issued
  edge.cloudfront.wait_for:
    identifier: shop-example
    timeout: 600
    sleep: 5
  register: issued

- name: Show how long it took
  ansible.builtin.debug:
    msg: "{{ issued.managed_certificate_details.certificate_arn }} issued after {{ issued.elapsed }}s"

- name: Wait for the tenant serving a domain, then use the facts it sets
  edge.cloudfront.wait_for:
    domain: www.shop.example.com
    timeout: 600

- name: The certificate is available to later tasks as a fact
  ansible.builtin.debug:
    var: cloudfront_managed_certificate.certificate_status

- name: Wait for several tenants at once
  edge.cloudfront.wait_for:
    identifiers:
      - shop-example
      - static-example
    sleep: 10
    max_concurrency: 8
    timeout: 900

- name: Wait for every tenant of a multi-tenant distribution, with a message for the on-call
  edge.cloudfront.wait_for:
    distribution_id: E1SHOPDEMO0001
    timeout: 1200
    msg: Certificates of E1SHOPDEMO0001 are not issued yet; check the redirects of the old web server

- name: Only wait until validation has started (any status but none)
  edge.cloudfront.wait_for:
    identifier: shop-example
    status:
      - pending-validation
      - issued
    timeout: 60

- name: Use the same connection settings for this collection and amazon.aws
  module_defaults:
    group/edge.cloudfront.aws:
      profile: migration
  block:
    - name: Wait for the certificate before switching DNS
      edge.cloudfront.wait_for:
        identifier: shop-example
        delay: 5
"""

RETURN = r"""
elapsed:
  description: Seconds since the task started, O(delay) included.
  returned: always
  type: float
  sample: 312.4
attempts:
  description: The certificate detail requests made, summed over the certificates, retried requests included.
  returned: always
  type: int
  sample: 21
changed:
  description: Always false; waiting changes nothing.
  returned: always
  type: bool
  sample: false
managed_certificate_details:
  description:
    - The tenant's CloudFront-managed certificate as seen last, with the keys of
      M(edge.cloudfront.cloudfront_managed_certificate_info).
    - Empty when it could not be read.
  returned: when O(identifier) or O(domain) is given
  type: dict
  contains:
    certificate_arn:
      description: The ARN of the ACM certificate.
      returned: when the certificate was read
      type: str
      sample: arn:aws:acm:us-east-1:123456789012:certificate/1d7b3b2f-8a3c-4e3b-9f0e-2c6b2a1e0c55
    certificate_status:
      description: The status of the certificate.
      returned: when the certificate was read
      type: str
      sample: issued
      choices: ['pending-validation', 'issued', 'inactive', 'expired', 'validation-timed-out', 'revoked', 'failed']
    validation_token_host:
      description: V(cloudfront) or V(self-hosted).
      returned: when the certificate was read
      type: str
      sample: self-hosted
    validation_token_details:
      description: One entry per domain, with C(domain) and, for self-hosted validation, C(redirect_from) and C(redirect_to).
      returned: when the certificate was read
      type: list
      elements: dict
status_history:
  description:
    - One entry per status seen, in order, the first observation included.
  returned: when O(identifier) or O(domain) is given
  type: list
  elements: dict
  contains:
    status:
      description: The certificate status seen.
      returned: always
      type: str
      sample: pending-validation
    elapsed:
      description: Seconds since the task started when the status was first seen.
      returned: always
      type: float
      sample: 0.4
  sample: [{"status": "pending-validation", "elapsed": 0.4}, {"status": "issued", "elapsed": 312.4}]
managed_certificates:
  description:
    - One entry per certificate waited for, as seen last. With O(identifiers) in the order given,
      each with C(identifier) and the certificate keys; with a filter in the listing's order, each
      with the tenant keys of M(edge.cloudfront.cloudfront_managed_certificate_info), the
      certificate keys and C(identifier) (the tenant ID). Each has its own C(status_history).
    - A certificate that could not be read yet has only C(identifier), the tenant keys and an empty C(status_history).
  returned: when O(identifiers), O(distribution_id) or O(connection_group_id) is given
  type: list
  elements: dict
  contains:
    identifier:
      description: The identifier as given in O(identifiers), or the tenant ID with a filter.
      returned: always
      type: str
      sample: shop-example
    distribution_tenant_id:
      description: The ID of the tenant.
      returned: with a filter
      type: str
      sample: dt_2abcDEF3ghij4KLM
    distribution_tenant_name:
      description: The name of the tenant.
      returned: with a filter
      type: str
      sample: shop-example
    distribution_tenant_arn:
      description: The ARN of the tenant.
      returned: with a filter
      type: str
    distribution_id:
      description: The ID of the multi-tenant distribution of the tenant.
      returned: with a filter
      type: str
      sample: E1SHOPDEMO0001
    domains:
      description: The domains of the tenant.
      returned: with a filter
      type: list
      elements: str
    certificate_arn:
      description: The ARN of the ACM certificate.
      returned: when the certificate was read
      type: str
    certificate_status:
      description: The status of the certificate.
      returned: when the certificate was read
      type: str
      sample: issued
    validation_token_host:
      description: V(cloudfront) or V(self-hosted).
      returned: when the certificate was read
      type: str
    validation_token_details:
      description: As in RV(managed_certificate_details.validation_token_details).
      returned: when the certificate was read
      type: list
      elements: dict
    status_history:
      description: As RV(status_history), for this certificate.
      returned: always
      type: list
      elements: dict
ansible_facts:
  description: Facts for later tasks.
  returned: always
  type: dict
  contains:
    cloudfront_managed_certificate:
      description: RV(managed_certificate_details) plus C(identifier) (with O(domain), the tenant's ID).
      returned: when O(identifier) or O(domain) is given
      type: dict
    cloudfront_managed_certificates:
      description: The same list as RV(managed_certificates).
      returned: when O(identifiers), O(distribution_id) or O(connection_group_id) is given
      type: list
      elements: dict
msg:
  description: Why the wait failed, naming each certificate concerned.
  returned: on failure
  type: str
  sample: "Timed out after 600s waiting for shop-example to be issued (40 attempts): shop-example is pending-validation"
"""

import time

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.edge.cloudfront.plugins.module_utils.cloudfront import CloudFrontModule
from ansible_collections.edge.cloudfront.plugins.module_utils.cloudfront import get_certificate_details
from ansible_collections.edge.cloudfront.plugins.module_utils.cloudfront import get_tenant_id_by_domain
from ansible_collections.edge.cloudfront.plugins.module_utils.cloudfront import list_tenants
from ansible_collections.edge.cloudfront.plugins.module_utils.error_kinds import classify_error
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import listing_entry
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import INTERNAL_OPTION
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import WAIT_FOR_OPTIONS
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import FleetError
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import PollScheduler
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import WaitTimeout
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import failure_message
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import filter_description
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import new_certificate
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import option_errors
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import progress_window
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import round_stop_reason
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import spread


def no_retry(function):
    """The PollScheduler retries every call itself, within the deadline."""
    return function


def select(client, scheduler, params, check_mode):
    """The certificates to wait for, each first due now (check mode) or spread over one ``sleep``."""
    if params["identifiers"] is not None:
        found = [(identifier, None, None) for identifier in params["identifiers"]]
    elif params["identifier"] is not None:
        found = [(params["identifier"], None, None)]
    elif params["domain"] is not None:
        tenant_id = scheduler.call(lambda: get_tenant_id_by_domain(client, params["domain"]))
        if tenant_id is None:
            raise LookupError(f"no distribution tenant serves domain {params['domain']!r}")
        found = [(tenant_id, None, params["domain"])]
    else:
        tenants = scheduler.call(lambda: list_tenants(client, params["distribution_id"], params["connection_group_id"]))
        found = [(tenant["Id"], listing_entry(tenant, {}), None) for tenant in tenants]
    start = scheduler.now()
    if check_mode:
        due = [start] * len(found)
    else:
        due = spread(len(found), start, params["sleep"])
    return [
        new_certificate(identifier, when, tenant, label) for (identifier, tenant, label), when in zip(found, due)
    ]


def main():
    argument_spec = dict(WAIT_FOR_OPTIONS, **{INTERNAL_OPTION: dict(type="dict")})
    module = CloudFrontModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params

    errors = option_errors(params)
    if errors:
        module.fail_json(msg="; ".join(errors))

    state = dict(params[INTERNAL_OPTION] or {})
    state.setdefault("deadline", params["timeout"])
    client = module.cloudfront_client(
        max_concurrency=params["max_concurrency"], retry_decorator=no_retry, sdk_attempts=1
    )
    scheduler = PollScheduler(
        lambda identifier: get_certificate_details(client, identifier, missing_ok=False),
        state,
        params["sleep"],
        params["max_concurrency"],
        target_statuses=params["status"],
        clock=time.monotonic,
        sleeper=time.sleep,
    )
    result_state = {"pause": scheduler.pause_state()}
    if "certificates" in state:
        result_state["certificates"] = state["certificates"]

    def fail(msg, exception=None):
        result_state.update(pause=scheduler.pause_state(), reason="error")
        if exception is None:
            module.fail_json(msg=msg, **{INTERNAL_OPTION: result_state})
        module.fail_json_aws(exception, msg=msg, **{INTERNAL_OPTION: result_state})

    try:
        if "certificates" not in state:
            result_state["certificates"] = select(client, scheduler, params, module.check_mode)
        else:
            scheduler.resume(result_state["certificates"], state.get("left_at", 0.0))
        certificates = result_state["certificates"]
        history_before = sum(len(certificate["history"]) for certificate in certificates)
        reason = scheduler.run(
            certificates,
            lambda: round_stop_reason(certificates, params["status"], module.check_mode, history_before),
            change_window=progress_window(len(certificates), params["sleep"], first_observation=not history_before),
        )
    except WaitTimeout:
        reason = "deadline"
    except LookupError as e:
        fail(str(e))
    except FleetError as e:
        # e.exception is get_certificate_details' AnsibleAWSError, whose message names the call.
        fail(failure_message(e.kind, e.identifier, e.exception.message), e.exception.exception)
    except AnsibleAWSError as e:
        fail(failure_message(classify_error(e), None, e.message), e.exception)

    if reason == "empty":
        fail(f"no distribution tenant with a CloudFront-managed certificate matches {filter_description(params)}")
    if "certificates" in result_state:
        result_state["certificates"] = [c for c in result_state["certificates"] if not c.get("gone")]
    result_state.update(pause=scheduler.pause_state(), reason=reason, left_at=round(scheduler.now(), 3))
    module.exit_json(changed=False, **{INTERNAL_OPTION: result_state})


if __name__ == "__main__":
    main()
