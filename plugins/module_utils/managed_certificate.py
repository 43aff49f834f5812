# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Pure rules about CloudFront-managed certificates, shared by every plugin of edge.cloudfront.

Nothing here talks to AWS or imports botocore, so the controller side (action plugins)
can use the same rules as the modules.
"""

import re

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict

COLLECTION_NAME = "edge.cloudfront"
COLLECTION_VERSION = "0.1.0"

# botocore 1.38.4 is the first release whose CloudFront model has GetManagedCertificateDetails.
MINIMUM_BOTOCORE_VERSION = "1.38.4"

CERTIFICATE_STATUSES = (
    "pending-validation",
    "issued",
    "inactive",
    "expired",
    "validation-timed-out",
    "revoked",
    "failed",
)
# Statuses a certificate never leaves on its own: waiting for anything else is pointless.
TERMINAL_STATUSES = ("failed", "validation-timed-out", "revoked", "expired", "inactive")

SELECTION_OPTIONS = ("identifier", "domain", "identifiers")
# The options that choose tenants, and how many requests may run at once, of every plugin.
SELECTION_ARGUMENT_SPEC = dict(
    identifier=dict(type="str"),
    domain=dict(type="str"),
    identifiers=dict(type="list", elements="str"),
    distribution_id=dict(type="str"),
    connection_group_id=dict(type="str"),
    max_concurrency=dict(type="int", default=4),
)
LISTING_FILTER_OPTIONS = ("distribution_id", "connection_group_id")
MAX_CONCURRENCY_RANGE = (1, 32)

IDENTIFIER_MAX_LENGTH = 128
DOMAIN_MAX_LENGTH = 253
_TENANT_ARN = re.compile(r"^arn:aws[a-z-]*:cloudfront::[0-9]{12}:distribution-tenant/[A-Za-z0-9_-][A-Za-z0-9._-]*$")
_TENANT_ID_OR_NAME = re.compile(r"^[A-Za-z0-9_-][A-Za-z0-9._-]*$")
_DOMAIN_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$")
_RESOURCE_ID = re.compile(r"^[A-Za-z0-9_-]{1,128}$")

# The IAM action behind each API operation, named when AWS answers AccessDenied.
IAM_ACTIONS = {
    "GetManagedCertificateDetails": "cloudfront:GetManagedCertificateDetails",
    "GetDistributionTenantByDomain": "cloudfront:GetDistributionTenantByDomain",
    "ListDistributionTenants": "cloudfront:ListDistributionTenants",
}


def _shown(value, limit=80):
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + "...'"


def identifier_error(option, value):
    """The reason ``value`` is not a distribution tenant ARN, ID or name, or None when it is one."""
    if not isinstance(value, str) or not value.strip():
        return f"{option} must be a distribution tenant ARN, ID or name, got an empty value"
    if value.startswith("arn:"):
        if _TENANT_ARN.match(value):
            return None
        return (
            f"{option} {_shown(value)} is not a distribution tenant ARN "
            "(arn:aws:cloudfront::<account-id>:distribution-tenant/<tenant-id>)"
        )
    if len(value) > IDENTIFIER_MAX_LENGTH or not _TENANT_ID_OR_NAME.match(value):
        return (
            f"{option} {_shown(value)} is not a distribution tenant ARN, ID or name: an ID or name has "
            f"1 to {IDENTIFIER_MAX_LENGTH} ASCII letters, digits, '-', '_' and '.', and does not start with '.'"
        )
    return None


def domain_error(option, value):
    """The reason ``value`` is not a DNS name a tenant can carry, or None when it is one."""
    if not isinstance(value, str) or not value.strip():
        return f"{option} must be a domain name, got an empty value"
    name = value[2:] if value.startswith("*.") else value
    name = name[:-1] if name.endswith(".") else name
    if len(value) > DOMAIN_MAX_LENGTH or not name or not all(_DOMAIN_LABEL.match(label) for label in name.split(".")):
        return (
            f"{option} {_shown(value)} is not a domain name: use letters, digits, '-' and '.' "
            f"(an optional leading '*.'), at most {DOMAIN_MAX_LENGTH} characters, e.g. www.example.com"
        )
    return None


def _resource_id_error(option, value):
    if value is None:
        return None
    if not value.strip() or not _RESOURCE_ID.match(value):
        return f"{option} {_shown(value)} is not a CloudFront ID (ASCII letters, digits, '-' and '_')"
    return None


def selection_errors(params, listing_only=("status",), require_one=False):
    """Every problem with how ``params`` choose tenants, as messages naming the option.

    ``params`` holds the selection options (``identifier``, ``domain``, ``identifiers``),
    the listing filters and the ``listing_only`` options of the calling plugin.
    With ``require_one``, choosing no tenant at all (every tenant of the account) is a problem too.
    An empty list means the selection is valid.
    """
    chosen = [name for name in SELECTION_OPTIONS if params.get(name) is not None]
    errors = []
    if require_one and not chosen and all(params.get(name) is None for name in LISTING_FILTER_OPTIONS):
        options = SELECTION_OPTIONS + LISTING_FILTER_OPTIONS
        errors.append(f"choose the tenants with {', '.join(options[:-1])} or {options[-1]}")
    if len(chosen) > 1:
        errors.append(f"choose tenants one way only: {', '.join(chosen)} were given together; keep one of them")
    if chosen:
        extra = [name for name in LISTING_FILTER_OPTIONS + tuple(listing_only) if params.get(name) is not None]
        if extra:
            verb = "applies" if len(extra) == 1 else "apply"
            errors.append(
                f"{' and '.join(extra)} only {verb} when listing tenants; remove {' and '.join(extra)} "
                f"or remove {chosen[0]}"
            )
    if params.get("identifier") is not None:
        errors.append(identifier_error("identifier", params["identifier"]))
    if params.get("domain") is not None:
        errors.append(domain_error("domain", params["domain"]))
    if params.get("identifiers") is not None:
        if not params["identifiers"]:
            errors.append("identifiers must list at least one distribution tenant ARN, ID or name")
        for index, value in enumerate(params["identifiers"]):
            errors.append(identifier_error(f"identifiers[{index}]", value))
    for name in LISTING_FILTER_OPTIONS:
        errors.append(_resource_id_error(name, params.get(name)))
    return [error for error in errors if error]


def range_error(option, value, low, high=None):
    """A message when the integer ``value`` of ``option`` is outside ``low``..``high``."""
    if value is None or (value >= low and (high is None or value <= high)):
        return None
    if high is None:
        return f"{option} must be at least {low}, got {value}"
    return f"{option} must be between {low} and {high}, got {value}"


def max_concurrency_error(value):
    return range_error("max_concurrency", value, *MAX_CONCURRENCY_RANGE)


def is_terminal_failure(status, target_statuses):
    """True when a certificate in ``status`` will never reach one of ``target_statuses``."""
    return status in TERMINAL_STATUSES and status not in target_statuses


def snake_certificate_details(managed_certificate_details):
    """The API's ManagedCertificateDetails in the collection's snake_case shape."""
    details = camel_dict_to_snake_dict(managed_certificate_details or {})
    if details:
        details.setdefault("validation_token_details", [])
    return details


def listing_entry(tenant_summary, certificate_details):
    """One ``managed_certificates`` entry of listing mode: the tenant's keys, then its certificate's."""
    entry = {
        "distribution_tenant_id": tenant_summary.get("Id"),
        "distribution_tenant_name": tenant_summary.get("Name"),
        "distribution_tenant_arn": tenant_summary.get("Arn"),
        "distribution_id": tenant_summary.get("DistributionId"),
        "domains": [domain["Domain"] for domain in tenant_summary.get("Domains", [])],
    }
    entry.update(certificate_details)
    return entry


def identifier_entry(identifier, certificate_details):
    """One ``managed_certificates`` entry of ``identifiers`` mode."""
    entry = {"identifier": identifier}
    entry.update(certificate_details)
    return entry


def pending_redirects(certificate_details):
    """The ``redirect_from -> redirect_to`` lines an operator still has to serve, for self-hosted validation."""
    if certificate_details.get("certificate_status") != "pending-validation":
        return []
    if certificate_details.get("validation_token_host") != "self-hosted":
        return []
    return [
        f"{token['redirect_from']} -> {token['redirect_to']}"
        for token in certificate_details.get("validation_token_details", [])
        if token.get("redirect_from") and token.get("redirect_to")
    ]
