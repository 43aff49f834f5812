#!/usr/bin/python
# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

DOCUMENTATION = r"""
---
module: cloudfront_managed_certificate_info
version_added: 0.1.0
short_description: Read the CloudFront-managed ACM certificates of distribution tenants
description:
  - Reads the CloudFront-managed ACM certificate of one distribution tenant of a CloudFront
    multi-tenant distribution, of several tenants, or of every tenant of the account
    (optionally of one distribution or connection group), with the
    C(cloudfront:GetManagedCertificateDetails) API.
  - Returns the certificate ARN, its status, who hosts the validation token and, for
    V(self-hosted) validation, the C(redirect_from) URLs the current web server must redirect
    to their C(redirect_to) URLs before the certificate can be issued.
  - Choose tenants one way at most. With O(identifier) or O(domain) the module returns
    RV(managed_certificate_details); with O(identifiers) or none of the three it returns
    RV(managed_certificates).
  - CloudFront is a global service. The module works whatever O(region) says; with no region
    configured at all it signs requests for C(us-east-1), also with a custom O(endpoint_url).
  - This module only reads. It never changes anything and supports check mode.
  - To wait until a certificate is issued, use M(edge.cloudfront.wait_for).
author:
  - edge.cloudfront founding engineers (@edge-cloudfront)
options:
  identifier:
    description:
      - The ARN, ID or name of one distribution tenant.
      - An ID or name has 1 to 128 ASCII letters, digits, V(-), V(_) and V(.), and does not start with V(.).
      - Mutually exclusive with O(domain) and O(identifiers).
    type: str
  domain:
    description:
      - A domain served by the distribution tenant, for example V(www.example.com).
      - The tenant is found with C(cloudfront:GetDistributionTenantByDomain).
      - Mutually exclusive with O(identifier) and O(identifiers).
    type: str
  identifiers:
    description:
      - The ARNs, IDs or names of several distribution tenants.
      - Returns RV(managed_certificates) with one entry per tenant found, in the order given.
        Tenants that do not exist or have no managed certificate are left out.
      - Mutually exclusive with O(identifier) and O(domain).
    type: list
    elements: str
  distribution_id:
    description:
      - When listing tenants (none of O(identifier), O(domain) and O(identifiers) given),
        only the tenants of this multi-tenant distribution.
    type: str
  connection_group_id:
    description:
      - When listing tenants, only the tenants in this connection group.
      - With O(distribution_id), both filters apply.
    type: str
  status:
    description:
      - When listing tenants, only the certificates in one of these statuses.
    type: list
    elements: str
    choices: ['pending-validation', 'issued', 'inactive', 'expired', 'validation-timed-out', 'revoked', 'failed']
  max_concurrency:
    description:
      - How many certificate detail requests may be in flight at once when reading several tenants.
      - From 1 to 32. Without effect when reading one tenant.
    type: int
    default: 4
notes:
  - Requires botocore and boto3 >= 1.38.4, the first release that knows C(GetManagedCertificateDetails).
    With an older SDK the module fails with a message naming the version it found.
  - "IAM permissions: C(cloudfront:GetManagedCertificateDetails); with O(domain) also
    C(cloudfront:GetDistributionTenantByDomain); when listing also C(cloudfront:ListDistributionTenants).
    A missing permission fails the task with a message naming the IAM action."
  - A tenant that does not exist or has no managed certificate is not an error.
    With O(identifier) or O(domain) the module then returns an empty RV(managed_certificate_details).
  - Throttling and transient AWS errors are retried with jittered exponential backoff.
  - The module is in the action group C(edge.cloudfront.aws), which extends C(amazon.aws.aws), so
    C(module_defaults) for C(group/edge.cloudfront.aws) apply to it and to the amazon.aws modules.
seealso:
  - module: edge.cloudfront.wait_for
  - name: GetManagedCertificateDetails API reference
    description: The API call behind this module.
    link: https://docs.aws.amazon.com/cloudfront/latest/APIReference/API_GetManagedCertificateDetails.html
extends_documentation_fragment:
  - amazon.aws.common.modules
  - amazon.aws.region.modules
  - amazon.aws.boto3
"""

EXAMPLES = r"""
# Note: These examples do not set authentication details, see the AWS Guide for details.

- name: Read the managed certificate of one distribution tenant
  edge.cloudfront.cloudfront_managed_certificate_info:
    identifier: shop-example
  register: cert

- name: Show the redirects the old web server must serve for self-hosted validation
  ansible.builtin.debug:
    msg: "{{ item.redirect_from }} -> {{ item.redirect_to }}"
  loop: "{{ cert.managed_certificate_details.validation_token_details | default([]) }}"
  when: cert.managed_certificate_details.validation_token_host | default('') == 'self-hosted'

- name: Find the tenant by one of its domains
  edge.cloudfront.cloudfront_managed_certificate_info:
    domain: www.shop.example.com

- name: Read several tenants at once
  edge.cloudfront.cloudfront_managed_certificate_info:
    identifiers:
      - shop-example
      - arn:aws:cloudfront::123456789012:distribution-tenant/dt_2abcDEF3ghij4KLM
    max_concurrency: 8

- name: Every certificate of one multi-tenant distribution still awaiting validation
  edge.cloudfront.cloudfront_managed_certificate_info:
    distribution_id: E1ABCDEFGHIJKL
    status:
      - pending-validation
  register: pending

- name: Use the same connection settings for this collection and amazon.aws
  module_defaults:
    group/edge.cloudfront.aws:
      profile: migration
  block:
    - name: Every managed certificate of the account
      edge.cloudfront.cloudfront_managed_certificate_info:
"""

RETURN = r"""
identifier:
  description:
    - The identifier the certificate was read for.
    - With O(domain), the ID of the tenant serving the domain, or V(null) when no tenant serves it.
  returned: when O(identifier) or O(domain) is given
  type: str
  sample: dt_2abcDEF3ghij4KLM
managed_certificate_details:
  description:
    - The tenant's CloudFront-managed certificate.
    - Empty when the tenant does not exist or has no managed certificate.
  returned: when O(identifier) or O(domain) is given
  type: dict
  contains:
    certificate_arn:
      description: The ARN of the ACM certificate.
      returned: when the certificate exists
      type: str
      sample: arn:aws:acm:us-east-1:123456789012:certificate/1d7b3b2f-8a3c-4e3b-9f0e-2c6b2a1e0c55
    certificate_status:
      description: The status of the certificate.
      returned: when the certificate exists
      type: str
      sample: pending-validation
      choices: ['pending-validation', 'issued', 'inactive', 'expired', 'validation-timed-out', 'revoked', 'failed']
    validation_token_host:
      description:
        - Who serves the validation token. V(cloudfront) when CloudFront already serves the domain,
          V(self-hosted) when the current web server must redirect C(redirect_from) to C(redirect_to).
      returned: when the certificate exists
      type: str
      sample: self-hosted
    validation_token_details:
      description: One entry per domain of the certificate; empty when there is nothing to serve.
      returned: when the certificate exists
      type: list
      elements: dict
      contains:
        domain:
          description: The domain being validated.
          returned: always
          type: str
          sample: www.example.com
        redirect_from:
          description: The URL on the current web server that must redirect.
          returned: for self-hosted validation
          type: str
          sample: http://www.example.com/.well-known/pki-validation/3f6e2c1d0a9b.txt
        redirect_to:
          description: Where C(redirect_from) must redirect to.
          returned: for self-hosted validation
          type: str
          sample: https://validation.us-east-1.acm-validations.aws/123456789012/.well-known/pki-validation/3f6e2c1d0a9b.txt
managed_certificates:
  description:
    - One entry per tenant with a managed certificate.
    - With O(identifiers), in the order given, each with C(identifier) and the certificate keys.
    - When listing, in the order of the API's listing, each with the tenant keys and the certificate keys.
  returned: when O(identifiers) is given or tenants are listed
  type: list
  elements: dict
  contains:
    identifier:
      description: The identifier as given in O(identifiers).
      returned: with O(identifiers)
      type: str
      sample: shop-example
    distribution_tenant_id:
      description: The ID of the tenant.
      returned: when listing
      type: str
      sample: dt_2abcDEF3ghij4KLM
    distribution_tenant_name:
      description: The name of the tenant.
      returned: when listing
      type: str
      sample: shop-example
    distribution_tenant_arn:
      description: The ARN of the tenant.
      returned: when listing
      type: str
      sample: arn:aws:cloudfront::123456789012:distribution-tenant/dt_2abcDEF3ghij4KLM
    distribution_id:
      description: The ID of the multi-tenant distribution the tenant belongs to.
      returned: when listing
      type: str
      sample: E1ABCDEFGHIJKL
    domains:
      description: The domains of the tenant.
      returned: when listing
      type: list
      elements: str
      sample: ['www.example.com']
    certificate_arn:
      description: The ARN of the ACM certificate.
      returned: always
      type: str
    certificate_status:
      description: The status of the certificate.
      returned: always
      type: str
      sample: issued
    validation_token_host:
      description: V(cloudfront) or V(self-hosted).
      returned: always
      type: str
      sample: cloudfront
    validation_token_details:
      description: As in RV(managed_certificate_details.validation_token_details).
      returned: always
      type: list
      elements: dict
"""

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.edge.cloudfront.plugins.module_utils.cloudfront import CloudFrontModule
from ansible_collections.edge.cloudfront.plugins.module_utils.cloudfront import get_certificate_details
from ansible_collections.edge.cloudfront.plugins.module_utils.cloudfront import get_tenant_id_by_domain
from ansible_collections.edge.cloudfront.plugins.module_utils.cloudfront import list_tenants
from ansible_collections.edge.cloudfront.plugins.module_utils.cloudfront import ordered_concurrent_map
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import CERTIFICATE_STATUSES
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import SELECTION_ARGUMENT_SPEC
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import identifier_entry
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import listing_entry
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import max_concurrency_error
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import selection_errors


def read_one(client, identifier=None, domain=None):
    if domain is not None:
        identifier = get_tenant_id_by_domain(client, domain)
        if identifier is None:
            return {"identifier": None, "managed_certificate_details": {}}
    return {"identifier": identifier, "managed_certificate_details": get_certificate_details(client, identifier) or {}}


def read_many(client, identifiers, max_concurrency):
    details = ordered_concurrent_map(lambda name: get_certificate_details(client, name), identifiers, max_concurrency)
    return [identifier_entry(name, found) for name, found in zip(identifiers, details) if found]


def read_listing(client, params):
    tenants = list_tenants(client, params["distribution_id"], params["connection_group_id"])
    details = ordered_concurrent_map(
        lambda tenant: get_certificate_details(client, tenant["Id"]), tenants, params["max_concurrency"]
    )
    wanted = params["status"]
    return [
        listing_entry(tenant, found)
        for tenant, found in zip(tenants, details)
        if found and (not wanted or found.get("certificate_status") in wanted)
    ]


def main():
    argument_spec = dict(SELECTION_ARGUMENT_SPEC, status=dict(type="list", elements="str", choices=list(CERTIFICATE_STATUSES)))
    module = CloudFrontModule(argument_spec=argument_spec, supports_check_mode=True)
    params = module.params

    errors = selection_errors(params) + [max_concurrency_error(params["max_concurrency"])]
    errors = [error for error in errors if error]
    if errors:
        module.fail_json(msg="; ".join(errors))

    client = module.cloudfront_client(max_concurrency=params["max_concurrency"])
    try:
        if params["identifier"] is not None or params["domain"] is not None:
            result = read_one(client, identifier=params["identifier"], domain=params["domain"])
        elif params["identifiers"] is not None:
            result = {"managed_certificates": read_many(client, params["identifiers"], params["max_concurrency"])}
        else:
            result = {"managed_certificates": read_listing(client, params)}
    except AnsibleAWSError as e:
        module.fail_json_aws_error(e)

    module.exit_json(changed=False, **result)


if __name__ == "__main__":
    main()
