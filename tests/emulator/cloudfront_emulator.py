# -*- coding: utf-8 -*-
# Copyright: Contributors to the edge.cloudfront collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Local emulator of the CloudFront control-plane API (REST-XML, API version 2020-05-31).

Standard library only. It answers the distribution-tenant, managed-certificate and
DNS-verification operations that moto does not implement:

  GetManagedCertificateDetails   GET  /2020-05-31/managed-certificate/{Identifier}
  GetDistributionTenant          GET  /2020-05-31/distribution-tenant/{Identifier}
  GetDistributionTenantByDomain  GET  /2020-05-31/distribution-tenant?domain=...
  ListDistributionTenants        POST /2020-05-31/distribution-tenants
  VerifyDnsConfiguration         POST /2020-05-31/verify-dns-configuration

The XML element names, list member names and namespaces below were taken from
botocore's service model (cloudfront 2020-05-31); tests/emulator/test_emulator.py
checks them against the installed botocore.

State comes from a "scenario" (dict, JSON file or, if PyYAML is importable, YAML file):
  account_id ("123456789012"), latency_ms (0), signing_region ("us-east-1"; "*" accepts any),
  tenants: [{name, id, arn, distribution_id, connection_group_id, domains (str or {domain, status, serve_on}),
             tags {k: v}, parameters {k: v}, customizations (model member names), enabled, status,
             dns_status (status, or {domain: status | {status, reason}}), created_time, last_modified_time, etag,
             certificate: {arn, validation_token_host, statuses | timeline [{status, until}],
                           token_details [{domain, redirect_from, redirect_to}]}}]
  generate: [{count, name_prefix ("tenant-"), domain_template ("{name}.example.com"), <any tenant key>}]
  faults: [{operation ("*"), identifier, kind, count, every, after, delay_ms, message, http_status/code/type (kind error)}]
The first fault that fires answers a request; a matching fault that skips (after/every) still counts it.
Admin API under /_emulator/ (no auth, not logged): GET health, POST scenario, GET/DELETE requests, POST reset,
GET tenants, POST tenants/<id-name-or-arn>/status {"status": ...}, POST/DELETE faults.

Usage:
  python tests/emulator/cloudfront_emulator.py --scenario FILE [--port 0] [--url-file PATH] [--verbose]
"""

from __future__ import absolute_import, division, print_function

import argparse
import hashlib
import io
import json
import os
import re
import signal
import socket
import struct
import sys
import threading
import time
import uuid
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote
from xml.sax.saxutils import escape as _xml_escape


API_VERSION = "2020-05-31"
XMLNS = "http://cloudfront.amazonaws.com/doc/2020-05-31/"
DEFAULT_ACCOUNT_ID = "123456789012"
DEFAULT_CREATED_TIME = "2025-01-01T00:00:00Z"

# ---------------------------------------------------------------------------
# Wire format, transcribed from botocore's service model (cloudfront 2020-05-31).
#
# Structures: ordered members as (member name, target shape).  None of these
# members has a locationName, so the XML element name is the member name.
# Lists: (member element name = the member's locationName, else "member",
# target shape).  Scalars: string / boolean / integer / timestamp, enums with
# their values.
# ---------------------------------------------------------------------------
STRUCTURES = {
    "ManagedCertificateDetails": [
        ("CertificateArn", "string"),
        ("CertificateStatus", "ManagedCertificateStatus"),
        ("ValidationTokenHost", "ValidationTokenHost"),
        ("ValidationTokenDetails", "ValidationTokenDetailList"),
    ],
    "ValidationTokenDetail": [
        ("Domain", "string"),
        ("RedirectTo", "string"),
        ("RedirectFrom", "string"),
    ],
    "DistributionTenant": [
        ("Id", "string"),
        ("DistributionId", "string"),
        ("Name", "string"),
        ("Arn", "string"),
        ("Domains", "DomainResultList"),
        ("Tags", "Tags"),
        ("Customizations", "Customizations"),
        ("Parameters", "Parameters"),
        ("ConnectionGroupId", "string"),
        ("CreatedTime", "timestamp"),
        ("LastModifiedTime", "timestamp"),
        ("Enabled", "boolean"),
        ("Status", "string"),
    ],
    "DomainResult": [
        ("Domain", "string"),
        ("Status", "DomainStatus"),
        ("ServeOn", "ServeOn"),
    ],
    "Tags": [
        ("Items", "TagList"),
    ],
    "Tag": [
        ("Key", "TagKey"),
        ("Value", "TagValue"),
    ],
    "Customizations": [
        ("WebAcl", "WebAclCustomization"),
        ("Certificate", "Certificate"),
        ("GeoRestrictions", "GeoRestrictionCustomization"),
    ],
    "WebAclCustomization": [
        ("Action", "CustomizationActionType"),
        ("Arn", "string"),
    ],
    "Certificate": [
        ("Arn", "string"),
    ],
    "GeoRestrictionCustomization": [
        ("RestrictionType", "GeoRestrictionType"),
        ("Locations", "LocationList"),
    ],
    "Parameter": [
        ("Name", "ParameterName"),
        ("Value", "ParameterValue"),
    ],
    "ListDistributionTenantsResult": [
        ("NextMarker", "string"),
        ("DistributionTenantList", "DistributionTenantList"),
    ],
    "DistributionTenantSummary": [
        ("Id", "string"),
        ("DistributionId", "string"),
        ("Name", "string"),
        ("Arn", "string"),
        ("Domains", "DomainResultList"),
        ("ConnectionGroupId", "string"),
        ("Customizations", "Customizations"),
        ("CreatedTime", "timestamp"),
        ("LastModifiedTime", "timestamp"),
        ("ETag", "string"),
        ("Enabled", "boolean"),
        ("Status", "string"),
    ],
    "VerifyDnsConfigurationResult": [
        ("DnsConfigurationList", "DnsConfigurationList"),
    ],
    "DnsConfiguration": [
        ("Domain", "string"),
        ("Status", "DnsConfigurationStatus"),
        ("Reason", "string"),
    ],
    # request bodies
    "ListDistributionTenantsRequest": [
        ("AssociationFilter", "DistributionTenantAssociationFilter"),
        ("Marker", "string"),
        ("MaxItems", "integer"),
    ],
    "DistributionTenantAssociationFilter": [
        ("DistributionId", "string"),
        ("ConnectionGroupId", "string"),
    ],
    "VerifyDnsConfigurationRequest": [
        ("Domain", "string"),
        ("Identifier", "string"),
    ],
}

LISTS = {
    "ValidationTokenDetailList": ("member", "ValidationTokenDetail"),
    "DomainResultList": ("member", "DomainResult"),
    "TagList": ("Tag", "Tag"),
    "LocationList": ("Location", "string"),
    "Parameters": ("member", "Parameter"),
    "DistributionTenantList": ("DistributionTenantSummary", "DistributionTenantSummary"),
    "DnsConfigurationList": ("DnsConfiguration", "DnsConfiguration"),
}

ENUMS = {
    "ManagedCertificateStatus": [
        "pending-validation", "issued", "inactive", "expired", "validation-timed-out", "revoked", "failed",
    ],
    "ValidationTokenHost": ["cloudfront", "self-hosted"],
    "DomainStatus": ["active", "inactive"],
    "ServeOn": ["any", "anycast-ip-list-only"],
    "DnsConfigurationStatus": ["valid-configuration", "invalid-configuration", "unknown-configuration"],
    "CustomizationActionType": ["override", "disable"],
    "GeoRestrictionType": ["blacklist", "whitelist", "none"],
}

SCALARS = {
    "string": "string",
    "boolean": "boolean",
    "integer": "integer",
    "timestamp": "timestamp",
    "TagKey": "string",
    "TagValue": "string",
    "ParameterName": "string",
    "ParameterValue": "string",
}

# name -> method, requestUri, input body root (locationName, namespaced) or None,
# output payload member (the body root element is then named after it) or the
# output structure (body root named after the structure), header members.
OPERATIONS = {
    "GetManagedCertificateDetails": {
        "method": "GET",
        "uri": "/2020-05-31/managed-certificate/{Identifier}",
        "input_root": None,
        "payload": "ManagedCertificateDetails",
        "output_shape": "ManagedCertificateDetails",
        "headers": [],
    },
    "GetDistributionTenant": {
        "method": "GET",
        "uri": "/2020-05-31/distribution-tenant/{Identifier}",
        "input_root": None,
        "payload": "DistributionTenant",
        "output_shape": "DistributionTenant",
        "headers": ["ETag"],
    },
    "GetDistributionTenantByDomain": {
        "method": "GET",
        "uri": "/2020-05-31/distribution-tenant",
        "query": {"domain": "Domain"},
        "input_root": None,
        "payload": "DistributionTenant",
        "output_shape": "DistributionTenant",
        "headers": ["ETag"],
    },
    "ListDistributionTenants": {
        "method": "POST",
        "uri": "/2020-05-31/distribution-tenants",
        "input_root": "ListDistributionTenantsRequest",
        "payload": None,
        "output_shape": "ListDistributionTenantsResult",
        "headers": [],
    },
    "VerifyDnsConfiguration": {
        "method": "POST",
        "uri": "/2020-05-31/verify-dns-configuration",
        "input_root": "VerifyDnsConfigurationRequest",
        "payload": None,
        "output_shape": "VerifyDnsConfigurationResult",
        "headers": [],
    },
}

CERTIFICATE_STATUSES = ENUMS["ManagedCertificateStatus"]
DNS_STATUSES = ENUMS["DnsConfigurationStatus"]

# fault kind -> (HTTP status, Code, Type, default message)
ERROR_FAULTS = {
    "throttling": (400, "Throttling", "Sender", "Rate exceeded"),
    "throttling_429": (429, "TooManyRequestsException", "Sender", "Rate exceeded"),
    "internal_error": (500, "InternalError", "Receiver", "We encountered an internal error. Please try again."),
    "service_unavailable": (503, "ServiceUnavailable", "Receiver", "Service Unavailable"),
    "access_denied": (403, "AccessDenied", "Sender", None),
    "expired_token": (403, "ExpiredToken", "Sender", "The security token included in the request is expired"),
    "invalid_argument": (400, "InvalidArgument", "Sender", "An argument is invalid."),
    "entity_not_found": (404, "EntityNotFound", "Sender", None),
}
OTHER_FAULTS = ("connection_reset", "slow", "error")
FAULT_KINDS = tuple(sorted(ERROR_FAULTS)) + OTHER_FAULTS

_CRED_RE = re.compile(r"Credential=([^/,\s]+)/(\d{8})/([^/,\s]+)/([^/,\s]+)/aws4_request")
_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


class ScenarioError(ValueError):
    """The scenario is malformed."""


# ---------------------------------------------------------------------------
# XML
# ---------------------------------------------------------------------------
def _iso(value):
    if isinstance(value, (int, float)):
        value = datetime.fromtimestamp(value, tz=timezone.utc)
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=timezone.utc)
        return value.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (value.microsecond // 1000)
    return str(value)


def _scalar_text(shape, value):
    kind = SCALARS.get(shape)
    if shape in ENUMS:
        if value not in ENUMS[shape]:
            raise ValueError("%r is not a valid %s (%s)" % (value, shape, ", ".join(ENUMS[shape])))
        return str(value)
    if kind == "boolean":
        return "true" if value else "false"
    if kind == "integer":
        return str(int(value))
    if kind == "timestamp":
        return _iso(value)
    if kind == "string":
        return str(value)
    raise ValueError("unknown shape %s" % shape)


def serialize(shape, value, tag, out):
    """Append the XML for ``value`` (dict keyed by member names / list / scalar) to ``out``."""
    if value is None:
        return
    if shape in STRUCTURES:
        members = STRUCTURES[shape]
        known = set(member[0] for member in members)
        unknown = set(value) - known
        if unknown:
            raise ValueError("%s has no member(s) %s" % (shape, ", ".join(sorted(unknown))))
        out.append("<%s>" % tag)
        for name, target in members:
            serialize(target, value.get(name), name, out)
        out.append("</%s>" % tag)
    elif shape in LISTS:
        member_tag, target = LISTS[shape]
        if not value:
            out.append("<%s/>" % tag)
            return
        out.append("<%s>" % tag)
        for item in value:
            serialize(target, item, member_tag, out)
        out.append("</%s>" % tag)
    else:
        out.append("<%s>%s</%s>" % (tag, _xml_escape(_scalar_text(shape, value)), tag))


def xml_document(shape, value, root_tag):
    out = []
    serialize(shape, value, root_tag, out)
    # put the namespace on the root element
    first = out[0]
    if first.endswith("/>"):
        out[0] = '%s xmlns="%s"/>' % (first[:-2], XMLNS)
    else:
        out[0] = '%s xmlns="%s">' % (first[:-1], XMLNS)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + "".join(out)


def error_document(code, message, request_id, error_type="Sender"):
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<ErrorResponse xmlns="%s"><Error><Type>%s</Type><Code>%s</Code><Message>%s</Message></Error>'
        "<RequestId>%s</RequestId></ErrorResponse>"
        % (XMLNS, _xml_escape(error_type), _xml_escape(code), _xml_escape(message or ""), _xml_escape(request_id))
    )


def _local(tag):
    return tag.rsplit("}", 1)[-1]


def parse_request_xml(body, shape):
    """Parse a request body into a dict keyed by member names (strings / ints / nested dicts)."""
    if not body or not body.strip():
        return {}
    root = ET.fromstring(body)
    return _parse_node(root, shape)


def _parse_node(node, shape):
    if shape in STRUCTURES:
        targets = dict(STRUCTURES[shape])
        result = {}
        for child in node:
            name = _local(child.tag)
            if name in targets:
                result[name] = _parse_node(child, targets[name])
        return result
    if shape in LISTS:
        return [_parse_node(child, LISTS[shape][1]) for child in node]
    text = node.text or ""
    if SCALARS.get(shape) == "integer":
        return int(text.strip())
    if SCALARS.get(shape) == "boolean":
        return text.strip() == "true"
    return text


# ---------------------------------------------------------------------------
# Scenario
# ---------------------------------------------------------------------------
def _digest(*parts):
    return hashlib.sha256("\0".join(str(p) for p in parts).encode("utf-8")).digest()


def _b62(data, length):
    num = int.from_bytes(data, "big")
    chars = []
    while len(chars) < length:
        num, rem = divmod(num, 62)
        chars.append(_B62[rem])
    return "".join(chars)


def _uuid_from(*parts):
    return str(uuid.UUID(bytes=_digest(*parts)[:16]))


def read_scenario_file(path):
    """Read a JSON or (if PyYAML is importable) YAML scenario file."""
    with open(path, "r", encoding="utf-8") as handle:
        text = handle.read()
    return parse_scenario_text(text, hint=str(path))


def parse_scenario_text(text, hint=""):
    if not text.strip():
        return {}
    if hint.endswith(".json"):
        return json.loads(text)
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        import yaml  # pylint: disable=import-outside-toplevel
    except ImportError:
        raise ScenarioError("%s is not JSON and PyYAML is not installed to read it as YAML" % (hint or "scenario")) from None
    return yaml.safe_load(text) or {}


class Certificate:
    """A managed certificate of a tenant."""

    def __init__(self, spec, tenant, account_id):
        if not isinstance(spec, dict):
            raise ScenarioError("tenant %s: certificate must be a mapping" % tenant.name)
        unknown = set(spec) - {"arn", "validation_token_host", "statuses", "timeline", "token_details", "status"}
        if unknown:
            raise ScenarioError("tenant %s: unknown certificate key(s) %s" % (tenant.name, ", ".join(sorted(unknown))))
        self.arn = spec.get("arn") or "arn:aws:acm:us-east-1:%s:certificate/%s" % (
            account_id, _uuid_from("cert", account_id, tenant.id))
        self.host = spec.get("validation_token_host", "self-hosted")
        if self.host not in ENUMS["ValidationTokenHost"]:
            raise ScenarioError("tenant %s: validation_token_host must be one of %s" % (
                tenant.name, ", ".join(ENUMS["ValidationTokenHost"])))
        self.statuses = None
        self.timeline = None
        if "timeline" in spec and ("statuses" in spec or "status" in spec):
            raise ScenarioError("tenant %s: certificate takes statuses or timeline, not both" % tenant.name)
        if "timeline" in spec:
            timeline = spec["timeline"]
            if not isinstance(timeline, list) or not timeline:
                raise ScenarioError("tenant %s: timeline must be a non-empty list" % tenant.name)
            self.timeline = []
            for step in timeline:
                if not isinstance(step, dict) or "status" not in step:
                    raise ScenarioError("tenant %s: each timeline entry needs a status" % tenant.name)
                self._check_status(step["status"], tenant)
                until = step.get("until")
                self.timeline.append((step["status"], None if until is None else float(until)))
        else:
            statuses = spec.get("statuses", spec.get("status", ["pending-validation"]))
            if isinstance(statuses, str):
                statuses = [statuses]
            if not statuses:
                raise ScenarioError("tenant %s: statuses must not be empty" % tenant.name)
            for status in statuses:
                self._check_status(status, tenant)
            self.statuses = list(statuses)
        if "token_details" in spec and spec["token_details"] is not None:
            self.token_details = []
            for item in spec["token_details"]:
                self.token_details.append({
                    "Domain": item["domain"],
                    "RedirectFrom": item.get("redirect_from"),
                    "RedirectTo": item.get("redirect_to"),
                })
        elif self.host == "self-hosted":
            self.token_details = []
            for domain in tenant.domains:
                token = _digest("token", account_id, tenant.id, domain).hex()[:32]
                self.token_details.append({
                    "Domain": domain,
                    "RedirectFrom": "http://%s/.well-known/pki-validation/%s.txt" % (domain, token),
                    "RedirectTo": "https://validation.us-east-1.acm-validations.aws/%s/.well-known/pki-validation/%s.txt" % (
                        account_id, token),
                })
        else:
            self.token_details = []
        self.polls = 0
        self.forced = None

    @staticmethod
    def _check_status(status, tenant):
        if status not in CERTIFICATE_STATUSES:
            raise ScenarioError("tenant %s: certificate status %r is not one of %s" % (
                tenant.name, status, ", ".join(CERTIFICATE_STATUSES)))

    def current(self, elapsed, advance=False):
        """Status now; with advance=True this counts as one poll (statuses mode)."""
        if self.forced is not None:
            if advance:
                self.polls += 1
            return self.forced
        if self.timeline is not None:
            if advance:
                self.polls += 1
            for status, until in self.timeline:
                if until is None or elapsed < until:
                    return status
            return self.timeline[-1][0]
        index = min(self.polls, len(self.statuses) - 1)
        if advance:
            self.polls += 1
        return self.statuses[index]

    def details(self, status):
        return {
            "CertificateArn": self.arn,
            "CertificateStatus": status,
            "ValidationTokenHost": self.host,
            "ValidationTokenDetails": self.token_details,
        }


class Tenant:
    """A distribution tenant."""

    KEYS = {
        "name", "id", "arn", "distribution_id", "connection_group_id", "domains", "certificate", "tags",
        "parameters", "customizations", "enabled", "status", "dns_status", "created_time", "last_modified_time", "etag",
    }

    def __init__(self, spec, account_id):
        if not isinstance(spec, dict):
            raise ScenarioError("each tenant must be a mapping, got %r" % (spec,))
        unknown = set(spec) - self.KEYS
        if unknown:
            raise ScenarioError("tenant %s: unknown key(s) %s" % (spec.get("name"), ", ".join(sorted(unknown))))
        if not spec.get("name"):
            raise ScenarioError("every tenant needs a name")
        self.name = str(spec["name"])
        self.id = str(spec.get("id") or "dt_" + _b62(_digest("tenant", account_id, self.name), 27))
        self.arn = spec.get("arn") or "arn:aws:cloudfront::%s:distribution-tenant/%s" % (account_id, self.id)
        self.distribution_id = str(spec.get("distribution_id") or "E" + _b62(_digest("dist", account_id), 13).upper())
        self.connection_group_id = spec.get("connection_group_id")
        domains = spec.get("domains") or []
        if isinstance(domains, str):
            domains = [domains]
        self.domains = []
        self.domain_results = []
        for entry in domains:
            if isinstance(entry, dict):
                self.domains.append(entry["domain"])
                result = {"Domain": entry["domain"], "Status": entry.get("status", "active")}
                if entry.get("serve_on"):
                    result["ServeOn"] = entry["serve_on"]
            else:
                self.domains.append(str(entry))
                result = {"Domain": str(entry), "Status": "active"}
            self.domain_results.append(result)
        self.tags = spec.get("tags") or {}
        self.parameters = spec.get("parameters") or {}
        self.customizations = spec.get("customizations")
        self.enabled = bool(spec.get("enabled", True))
        self.status = spec.get("status", "Deployed")
        self.created = spec.get("created_time", DEFAULT_CREATED_TIME)
        self.modified = spec.get("last_modified_time", self.created)
        self.etag = spec.get("etag") or "E" + _b62(_digest("etag", account_id, self.id), 13).upper()
        dns = spec.get("dns_status", "valid-configuration")
        self.dns = {}
        self.dns_default = "valid-configuration"
        if isinstance(dns, str):
            self.dns_default = dns
            self._check_dns(dns)
        elif isinstance(dns, dict):
            for domain, value in dns.items():
                if isinstance(value, dict):
                    self._check_dns(value.get("status"))
                    self.dns[domain.lower()] = (value.get("status"), value.get("reason"))
                else:
                    self._check_dns(value)
                    self.dns[domain.lower()] = (value, None)
        else:
            raise ScenarioError("tenant %s: dns_status must be a status or a mapping domain -> status" % self.name)
        cert = spec.get("certificate")
        self.certificate = Certificate(cert, self, account_id) if cert is not None else None

    def _check_dns(self, status):
        if status not in DNS_STATUSES:
            raise ScenarioError("tenant %s: dns status %r is not one of %s" % (self.name, status, ", ".join(DNS_STATUSES)))

    def matches(self, identifier):
        return identifier in (self.id, self.name, self.arn)

    def _common(self):
        data = {
            "Id": self.id,
            "DistributionId": self.distribution_id,
            "Name": self.name,
            "Arn": self.arn,
            "Domains": self.domain_results,
            "ConnectionGroupId": self.connection_group_id,
            "Customizations": self.customizations,
            "CreatedTime": self.created,
            "LastModifiedTime": self.modified,
            "Enabled": self.enabled,
            "Status": self.status,
        }
        return data

    def full(self):
        data = self._common()
        if self.tags:
            data["Tags"] = {"Items": [{"Key": k, "Value": v} for k, v in self.tags.items()]}
        if self.parameters:
            data["Parameters"] = [{"Name": k, "Value": v} for k, v in self.parameters.items()]
        return data

    def summary(self):
        data = self._common()
        data["ETag"] = self.etag
        return data

    def dns_result(self, domain):
        status, reason = self.dns.get(domain.lower(), (self.dns_default, None))
        if reason is None and status == "invalid-configuration":
            reason = "The domain name does not point to the routing endpoint of the connection group."
        if reason is None and status == "unknown-configuration":
            reason = "The DNS configuration of the domain name could not be determined."
        return {"Domain": domain, "Status": status, "Reason": reason}


class Fault:
    """One entry of the scenario's ``faults``."""

    KEYS = {"operation", "identifier", "kind", "count", "every", "after", "delay_ms", "message", "http_status", "code", "type"}

    def __init__(self, spec):
        if not isinstance(spec, dict):
            raise ScenarioError("each fault must be a mapping")
        unknown = set(spec) - self.KEYS
        if unknown:
            raise ScenarioError("fault: unknown key(s) %s" % ", ".join(sorted(unknown)))
        self.kind = spec.get("kind")
        if self.kind not in FAULT_KINDS:
            raise ScenarioError("fault kind %r is not one of %s" % (self.kind, ", ".join(FAULT_KINDS)))
        self.operation = spec.get("operation", "*")
        if self.operation != "*" and self.operation not in OPERATIONS:
            raise ScenarioError("fault operation %r is not one of * %s" % (self.operation, " ".join(OPERATIONS)))
        self.identifier = spec.get("identifier")
        self.count = spec.get("count")
        self.every = int(spec.get("every") or 1)
        self.after = int(spec.get("after") or 0)
        self.delay_ms = float(spec.get("delay_ms", 1000))
        self.message = spec.get("message")
        self.http_status = int(spec.get("http_status", 400))
        self.code = spec.get("code", "InvalidArgument")
        self.type = spec.get("type")
        if self.every < 1 or self.after < 0 or (self.count is not None and int(self.count) < 0):
            raise ScenarioError("fault: every must be >= 1, after and count >= 0")
        self.seen = 0
        self.fired = 0
        self.spec = dict(spec)

    def applies(self, operation, tenant, identifier):
        if self.operation not in ("*", operation):
            return False
        if self.identifier is not None:
            if tenant is not None:
                return tenant.matches(self.identifier)
            return identifier == self.identifier
        return True

    def fire(self):
        """Count one matching request; True if the fault hits it."""
        self.seen += 1
        if self.count is not None and self.fired >= int(self.count):
            return False
        position = self.seen - self.after
        if position <= 0 or position % self.every != 0:
            return False
        self.fired += 1
        return True


class State:
    """Everything a scenario describes, plus counters."""

    def __init__(self, scenario=None):
        scenario = scenario or {}
        if not isinstance(scenario, dict):
            raise ScenarioError("a scenario must be a mapping")
        unknown = set(scenario) - {"account_id", "latency_ms", "signing_region", "tenants", "generate", "faults"}
        if unknown:
            raise ScenarioError("scenario: unknown key(s) %s" % ", ".join(sorted(unknown)))
        self.account_id = str(scenario.get("account_id", DEFAULT_ACCOUNT_ID))
        self.latency = float(scenario.get("latency_ms", 0)) / 1000.0
        # CloudFront only accepts requests signed for us-east-1; null or "*" accepts any region
        self.signing_region = scenario.get("signing_region", "us-east-1")
        if self.signing_region == "*":
            self.signing_region = None
        self.tenants = []
        for spec in scenario.get("tenants") or []:
            self.tenants.append(Tenant(spec, self.account_id))
        for group in scenario.get("generate") or []:
            self.tenants.extend(self._generate(group))
        self.by_key = {}
        for tenant in self.tenants:
            for key in (tenant.id, tenant.arn):
                if key in self.by_key:
                    raise ScenarioError("duplicate tenant id %s" % key)
            self.by_key[tenant.id] = tenant
            self.by_key[tenant.arn] = tenant
        names = {}
        for tenant in self.tenants:
            if tenant.name in names:
                raise ScenarioError("duplicate tenant name %s" % tenant.name)
            names[tenant.name] = tenant
        for name, tenant in names.items():
            self.by_key.setdefault(name, tenant)
        self.faults = [Fault(spec) for spec in scenario.get("faults") or []]
        self.started = time.monotonic()

    def _generate(self, group):
        if not isinstance(group, dict) or "count" not in group:
            raise ScenarioError("each generate entry needs a count")
        count = int(group["count"])
        prefix = group.get("name_prefix", "tenant-")
        domain_template = group.get("domain_template", "{name}.example.com")
        width = max(4, len(str(count)))
        base = dict((k, v) for k, v in group.items() if k not in ("count", "name_prefix", "domain_template"))
        tenants = []
        for index in range(1, count + 1):
            spec = dict(base)
            spec["name"] = "%s%0*d" % (prefix, width, index)
            spec["domains"] = [domain_template.format(name=spec["name"], index=index)]
            tenants.append(Tenant(spec, self.account_id))
        return tenants

    def elapsed(self):
        return time.monotonic() - self.started

    def find(self, identifier):
        if identifier is None:
            return None
        return self.by_key.get(identifier)

    def find_domain(self, domain):
        wanted = (domain or "").lower().rstrip(".")
        for tenant in self.tenants:
            if wanted in (d.lower() for d in tenant.domains):
                return tenant
        parts = wanted.split(".", 1)
        if len(parts) == 2:
            wildcard = "*." + parts[1]
            for tenant in self.tenants:
                if wildcard in (d.lower() for d in tenant.domains):
                    return tenant
        return None

    def describe(self):
        elapsed = self.elapsed()
        out = []
        for tenant in self.tenants:
            entry = {
                "id": tenant.id, "name": tenant.name, "arn": tenant.arn, "distribution_id": tenant.distribution_id,
                "connection_group_id": tenant.connection_group_id, "domains": tenant.domains,
                "certificate": None,
            }
            if tenant.certificate is not None:
                cert = tenant.certificate
                entry["certificate"] = {
                    "arn": cert.arn, "status": cert.current(elapsed), "polls": cert.polls,
                    "validation_token_host": cert.host, "forced": cert.forced,
                }
            out.append(entry)
        return out


# ---------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------
class ApiError(Exception):
    def __init__(self, status, code, message, error_type="Sender"):
        super(ApiError, self).__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.error_type = error_type


def route(method, raw_path):
    """Map a request to (operation, decoded identifier) or (None, None).

    The raw path is split on "/" first, then the identifier segment is unquoted,
    so an ARN's %2F stays inside the identifier."""
    path = raw_path.split("?", 1)[0]
    segments = path.split("/")
    if len(segments) < 3 or segments[0] != "" or segments[1] != API_VERSION:
        return None, None
    rest = segments[2:]
    if len(rest) == 2 and rest[0] == "managed-certificate" and rest[1] and method == "GET":
        return "GetManagedCertificateDetails", unquote(rest[1])
    if len(rest) == 2 and rest[0] == "distribution-tenant" and rest[1] and method == "GET":
        return "GetDistributionTenant", unquote(rest[1])
    if rest == ["distribution-tenant"] and method == "GET":
        return "GetDistributionTenantByDomain", None
    if rest == ["distribution-tenants"] and method == "POST":
        return "ListDistributionTenants", None
    if rest == ["verify-dns-configuration"] and method == "POST":
        return "VerifyDnsConfiguration", None
    return None, None


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, emulator):
        self.emulator = emulator
        self.open_connections = set()
        self.connections_lock = threading.Lock()
        ThreadingHTTPServer.__init__(self, address, _Handler)

    def process_request(self, request, client_address):
        with self.connections_lock:
            self.open_connections.add(request)
        ThreadingHTTPServer.process_request(self, request, client_address)

    def shutdown_request(self, request):
        with self.connections_lock:
            self.open_connections.discard(request)
        ThreadingHTTPServer.shutdown_request(self, request)

    def drop_connections(self):
        with self.connections_lock:
            conns = list(self.open_connections)
            self.open_connections.clear()
        for conn in conns:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "CloudFrontEmulator/1.0"
    sys_version = ""
    timeout = 120
    # Headers and body go out in two writes: with Nagle's algorithm the second waits ~40 ms for an ACK.
    disable_nagle_algorithm = True

    # ---- plumbing -------------------------------------------------------
    def log_message(self, format, *args):  # pylint: disable=redefined-builtin
        if self.server.emulator.verbose:
            sys.stderr.write("cloudfront-emulator: %s - %s\n" % (self.address_string(), format % args))

    def _read_body(self):
        length = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(length) if length > 0 else b""

    def _send(self, status, body, content_type, request_id, headers=None):
        data = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("x-amzn-RequestId", request_id)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(data)
        self.wfile.flush()

    def _reset_connection(self):
        self.close_connection = True
        try:
            self.wfile.flush()
        except OSError:
            pass
        try:
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        except OSError:
            pass
        for stream in (self.rfile, self.wfile):
            try:
                stream.close()
            except OSError:
                pass
        try:
            self.connection.close()  # the last reference: with SO_LINGER 0 this sends a RST
        except OSError:
            pass
        # http.server flushes wfile after the handler returns: give it harmless stand-ins
        self.rfile = io.BytesIO()
        self.wfile = io.BytesIO()

    def do_GET(self):  # pylint: disable=invalid-name
        self._dispatch("GET")

    def do_POST(self):  # pylint: disable=invalid-name
        self._dispatch("POST")

    def do_PUT(self):  # pylint: disable=invalid-name
        self._dispatch("PUT")

    def do_DELETE(self):  # pylint: disable=invalid-name
        self._dispatch("DELETE")

    def do_HEAD(self):  # pylint: disable=invalid-name
        self._dispatch("HEAD")

    def _dispatch(self, method):
        body = self._read_body()
        if self.path.startswith("/_emulator/") or self.path == "/_emulator":
            self._admin(method, body)
        else:
            self._api(method, body)

    # ---- admin ------------------------------------------------------------
    def _json(self, status, obj):
        self._send(status, json.dumps(obj, indent=1, sort_keys=True), "application/json", str(uuid.uuid4()))

    def _admin(self, method, body):
        emulator = self.server.emulator
        path = self.path.split("?", 1)[0]
        segments = path.split("/")[2:]
        try:
            if segments == ["health"] and method == "GET":
                self._json(200, {"status": "ok", "url": emulator.url})
            elif segments == ["scenario"] and method == "POST":
                emulator.load(parse_scenario_text(body.decode("utf-8")))
                self._json(200, {"status": "loaded", "tenants": len(emulator.state.tenants)})
            elif segments == ["requests"] and method == "GET":
                self._json(200, emulator.requests())
            elif (segments == ["requests"] and method == "DELETE") or (segments == ["reset"] and method == "POST"):
                emulator.reset()
                self._json(200, {"status": "reset"})
            elif segments == ["tenants"] and method == "GET":
                self._json(200, emulator.tenants())
            elif len(segments) == 3 and segments[0] == "tenants" and segments[2] == "status" and method == "POST":
                data = json.loads(body.decode("utf-8") or "{}")
                emulator.set_status(unquote(segments[1]), data.get("status"))
                self._json(200, {"status": data.get("status")})
            elif segments == ["faults"] and method == "POST":
                data = json.loads(body.decode("utf-8") or "[]")
                emulator.add_faults(data if isinstance(data, list) else [data])
                self._json(200, {"status": "added"})
            elif segments == ["faults"] and method == "DELETE":
                emulator.clear_faults()
                self._json(200, {"status": "cleared"})
            else:
                self._json(404, {"error": "unknown admin endpoint %s %s" % (method, path)})
        except (ScenarioError, ValueError, KeyError, TypeError) as exc:
            self._json(400, {"error": str(exc)})

    # ---- API --------------------------------------------------------------
    def _api(self, method, body):
        emulator = self.server.emulator
        arrival = time.monotonic()
        request_id = str(uuid.uuid4())
        raw_path = self.path
        query_string = raw_path.split("?", 1)[1] if "?" in raw_path else ""
        query = parse_qs(query_string, keep_blank_values=True)
        operation, identifier = route(method, raw_path)
        auth = self.headers.get("Authorization") or ""
        match = _CRED_RE.search(auth) if auth.startswith("AWS4-HMAC-SHA256 ") else None
        entry = {
            "request_id": request_id,
            "operation": operation,
            "method": method,
            "raw_path": raw_path,
            "path_identifier": identifier,
            "query": dict((k, v[0] if len(v) == 1 else v) for k, v in query.items()),
            "body": body.decode("utf-8", "replace"),
            "status": None,
            "fault": None,
            "error_code": None,
            "access_key_id": match.group(1) if match else None,
            "signing_date": match.group(2) if match else None,
            "signing_region": match.group(3) if match else None,
            "signing_service": match.group(4) if match else None,
            "session_token": bool(self.headers.get("X-Amz-Security-Token")),
            "user_agent": self.headers.get("User-Agent"),
            "t": None,
            "duration": None,
        }
        entry["t"] = round(emulator.log_request(entry, arrival), 6)
        try:
            self._api_inner(emulator, method, body, operation, identifier, query, match, auth, entry, request_id)
        finally:
            entry["duration"] = round(time.monotonic() - arrival, 6)

    def _api_inner(self, emulator, method, body, operation, identifier, query, match, auth, entry, request_id):
        state = emulator.state
        if state.latency > 0:
            time.sleep(state.latency)
        try:
            if match is None:
                if not auth:
                    raise ApiError(403, "MissingAuthenticationToken", "Request is missing Authentication Token")
                raise ApiError(403, "IncompleteSignature",
                               "Authorization header requires 'Credential' parameter (AWS4-HMAC-SHA256 Credential=...).")
            if match.group(4) != "cloudfront":
                raise ApiError(403, "SignatureDoesNotMatch", "Credential should be scoped to correct service: 'cloudfront'. ")
            if state.signing_region and match.group(3) != state.signing_region:
                raise ApiError(403, "SignatureDoesNotMatch",
                               "Credential should be scoped to a valid region, not '%s'. " % match.group(3))
            if operation is None:
                raise ApiError(404, "NotFound", "Could not find resource for %s %s" % (method, self.path.split("?", 1)[0]))
            params = self._parse_params(operation, identifier, query, body)
            result = emulator.handle(operation, params, entry)
        except ApiError as err:
            entry["status"] = err.status
            entry["error_code"] = err.code
            self._send(err.status, error_document(err.code, err.message, request_id, err.error_type),
                       "text/xml", request_id)
            return
        if result is None:  # connection reset
            self._reset_connection()
            return
        status, xml, headers = result
        entry["status"] = status
        self._send(status, xml, "text/xml", request_id, headers)

    @staticmethod
    def _parse_params(operation, identifier, query, body):
        spec = OPERATIONS[operation]
        params = {}
        if identifier is not None:
            params["Identifier"] = identifier
        for qname, member in spec.get("query", {}).items():
            if qname in query:
                params[member] = query[qname][0]
        if spec["input_root"]:
            try:
                params.update(parse_request_xml(body, spec["input_root"]))
            except (ET.ParseError, ValueError) as exc:
                raise ApiError(400, "MalformedInput", "Could not parse the request body: %s" % exc) from exc
        return params


# ---------------------------------------------------------------------------
# Emulator
# ---------------------------------------------------------------------------
class EmulatorServer:
    """CloudFront control-plane emulator.

    EmulatorServer(scenario=None, port=0, host="127.0.0.1", verbose=False)
      scenario: dict, path of a JSON/YAML file, or None (no tenants).
    .start() serves from a daemon thread; the context manager starts and stops it.
    .url, .requests(), .load(scenario), .reset(), .stop(), .tenants(),
    .tenant(name_or_id), .set_status(tenant, status), .add_faults(list), .clear_faults().
    """

    def __init__(self, scenario=None, port=0, host="127.0.0.1", verbose=False):
        self.host = host
        self.port = port
        self.verbose = verbose
        self.lock = threading.RLock()
        self.state = None
        self.log = []
        self.load(scenario)
        self._httpd = None
        self._thread = None

    # ---- lifecycle ----------------------------------------------------------
    def start(self):
        if self._httpd is not None:
            return self
        self._httpd = _Server((self.host, self.port), self)
        self.port = self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="cloudfront-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self):
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        httpd.shutdown()
        httpd.server_close()
        httpd.drop_connections()
        if self._thread is not None:
            self._thread.join(5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    def aws_env(self, access_key_id="AKIDEMULATOR00000000", secret_access_key="emulator-dummy-secret", region="us-east-1"):
        """Environment variables pointing an SDK / AWS CLI process at this emulator with dummy credentials."""
        return {
            "AWS_ACCESS_KEY_ID": access_key_id,
            "AWS_SECRET_ACCESS_KEY": secret_access_key,
            "AWS_DEFAULT_REGION": region,
            "AWS_REGION": region,
            "AWS_ENDPOINT_URL_CLOUDFRONT": self.url,
            "AWS_EC2_METADATA_DISABLED": "true",
        }

    # ---- state ----------------------------------------------------------------
    def load(self, scenario):
        """Replace the state with ``scenario`` (dict, file path or None); clears the log, restarts the clock."""
        if scenario is not None and not isinstance(scenario, dict):
            scenario = read_scenario_file(os.fspath(scenario))
        state = State(scenario)
        with self.lock:
            self.state = state
            self.log = []
        return self

    def reset(self):
        """Clear the request log (state is kept)."""
        with self.lock:
            self.log = []

    def requests(self):
        """The request log: a list of dicts (copies), in arrival order."""
        with self.lock:
            return [dict(entry) for entry in self.log]

    def tenants(self):
        with self.lock:
            return self.state.describe()

    def tenant(self, identifier):
        """Describe one tenant (id / name / arn), or None."""
        for entry in self.tenants():
            if identifier in (entry["id"], entry["name"], entry["arn"]):
                return entry
        return None

    def set_status(self, identifier, status):
        if status not in CERTIFICATE_STATUSES:
            raise ValueError("status %r is not one of %s" % (status, ", ".join(CERTIFICATE_STATUSES)))
        with self.lock:
            tenant = self.state.find(identifier)
            if tenant is None:
                raise KeyError("no tenant %s" % identifier)
            if tenant.certificate is None:
                raise ValueError("tenant %s has no certificate" % identifier)
            tenant.certificate.forced = status

    def add_faults(self, specs):
        faults = [Fault(spec) for spec in specs]
        with self.lock:
            self.state.faults.extend(faults)

    def clear_faults(self):
        with self.lock:
            self.state.faults = []

    def log_request(self, entry, arrival):
        with self.lock:
            self.log.append(entry)
            return arrival - self.state.started

    # ---- operations -------------------------------------------------------
    def _fault_for(self, operation, tenant, identifier):
        with self.lock:
            for fault in self.state.faults:
                if fault.applies(operation, tenant, identifier) and fault.fire():
                    return fault
        return None

    def _tenant_for(self, operation, params):
        state = self.state
        if operation == "GetDistributionTenantByDomain":
            return state.find_domain(params.get("Domain")), params.get("Domain")
        if operation == "ListDistributionTenants":
            return None, None
        identifier = params.get("Identifier")
        return state.find(identifier), identifier

    def handle(self, operation, params, entry):
        """Answer one API request: (status, xml, headers), or None to reset the connection."""
        state = self.state
        with self.lock:
            tenant, identifier = self._tenant_for(operation, params)
        fault = self._fault_for(operation, tenant, identifier)
        if fault is not None:
            entry["fault"] = fault.kind
            if fault.kind == "connection_reset":
                return None
            if fault.kind == "slow":
                time.sleep(fault.delay_ms / 1000.0)
            else:
                raise self._fault_error(fault, operation, tenant, identifier)
        with self.lock:
            return getattr(self, "_op_" + operation)(state, params, tenant)

    def _fault_error(self, fault, operation, tenant, identifier):
        if fault.kind == "error":
            status, code = fault.http_status, fault.code
            return ApiError(status, code, fault.message or code, fault.type or ("Receiver" if status >= 500 else "Sender"))
        status, code, error_type, message = ERROR_FAULTS[fault.kind]
        if fault.kind == "access_denied" and not fault.message:
            if tenant is not None:
                resource = tenant.arn
            elif identifier and operation in ("GetManagedCertificateDetails", "GetDistributionTenant", "VerifyDnsConfiguration"):
                resource = "arn:aws:cloudfront::%s:distribution-tenant/%s" % (self.state.account_id, identifier)
            else:
                resource = "arn:aws:cloudfront::%s:distribution-tenant/*" % self.state.account_id
            message = "User: arn:aws:iam::%s:user/emulator is not authorized to perform: cloudfront:%s on resource: %s" % (
                self.state.account_id, operation, resource)
        if fault.kind == "entity_not_found" and not fault.message:
            message = "The specified distribution tenant does not exist."
        return ApiError(status, code, fault.message or message, error_type)

    @staticmethod
    def _not_found(what):
        return ApiError(404, "EntityNotFound", what)

    def _op_GetManagedCertificateDetails(self, state, params, tenant):  # pylint: disable=invalid-name
        if tenant is None:
            raise self._not_found("The specified distribution tenant does not exist.")
        if tenant.certificate is None:
            raise self._not_found("The distribution tenant %s does not have a CloudFront managed certificate." % tenant.id)
        status = tenant.certificate.current(state.elapsed(), advance=True)
        xml = xml_document("ManagedCertificateDetails", tenant.certificate.details(status), "ManagedCertificateDetails")
        return 200, xml, {}

    def _op_GetDistributionTenant(self, state, params, tenant):  # pylint: disable=invalid-name,unused-argument
        if tenant is None:
            raise self._not_found("The specified distribution tenant does not exist.")
        return 200, xml_document("DistributionTenant", tenant.full(), "DistributionTenant"), {"ETag": tenant.etag}

    def _op_GetDistributionTenantByDomain(self, state, params, tenant):  # pylint: disable=invalid-name,unused-argument
        if not params.get("Domain"):
            raise ApiError(400, "InvalidArgument", "The parameter Domain is required.")
        if tenant is None:
            raise self._not_found("No distribution tenant is associated with the domain %s." % params.get("Domain"))
        return 200, xml_document("DistributionTenant", tenant.full(), "DistributionTenant"), {"ETag": tenant.etag}

    def _op_ListDistributionTenants(self, state, params, tenant):  # pylint: disable=invalid-name,unused-argument
        filters = params.get("AssociationFilter") or {}
        selected = [
            t for t in state.tenants
            if (not filters.get("DistributionId") or t.distribution_id == filters["DistributionId"])
            and (not filters.get("ConnectionGroupId") or t.connection_group_id == filters["ConnectionGroupId"])
        ]
        max_items = params.get("MaxItems", 100)
        if not isinstance(max_items, int) or max_items < 1:
            raise ApiError(400, "InvalidArgument", "MaxItems must be a positive integer.")
        start = 0
        marker = params.get("Marker")
        if marker:
            ids = [t.id for t in selected]
            if marker not in ids:
                raise ApiError(400, "InvalidArgument", "The marker %s is not valid." % marker)
            start = ids.index(marker)
        page = selected[start:start + max_items]
        result = {"DistributionTenantList": [t.summary() for t in page]}
        if start + max_items < len(selected):
            result["NextMarker"] = selected[start + max_items].id
        return 200, xml_document("ListDistributionTenantsResult", result, "ListDistributionTenantsResult"), {}

    def _op_VerifyDnsConfiguration(self, state, params, tenant):  # pylint: disable=invalid-name,unused-argument
        if not params.get("Identifier"):
            raise ApiError(400, "InvalidArgument", "The parameter Identifier is required.")
        if tenant is None:
            raise self._not_found("The specified distribution tenant does not exist.")
        domains = [params["Domain"]] if params.get("Domain") else tenant.domains
        result = {"DnsConfigurationList": [tenant.dns_result(d) for d in domains]}
        return 200, xml_document("VerifyDnsConfigurationResult", result, "VerifyDnsConfigurationResult"), {}


# ---------------------------------------------------------------------------
# CLI
# ---------------------------------------------------------------------------
def main(argv=None):
    parser = argparse.ArgumentParser(description="Local CloudFront control-plane API emulator (tenants, managed certificates).")
    parser.add_argument("--scenario", help="scenario file (JSON, or YAML if PyYAML is installed); default: no tenants")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 (default) picks a free port")
    parser.add_argument("--url-file", help="write the URL to this file once the server is ready")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--quiet", action="store_true", help="no access log on stderr (the default)")
    group.add_argument("--verbose", action="store_true", help="access log lines on stderr")
    args = parser.parse_args(argv)

    stop = threading.Event()

    def _on_signal(signum, frame):  # pylint: disable=unused-argument
        stop.set()

    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)

    try:
        server = EmulatorServer(scenario=args.scenario, port=args.port, host=args.host, verbose=args.verbose)
    except (ScenarioError, ValueError, OSError) as exc:
        sys.stderr.write("cloudfront-emulator: bad scenario: %s\n" % exc)
        return 2
    server.start()
    if args.url_file:
        tmp = "%s.tmp%d" % (args.url_file, os.getpid())
        with open(tmp, "w", encoding="utf-8") as handle:
            handle.write(server.url + "\n")
        os.replace(tmp, args.url_file)
    sys.stdout.write(server.url + "\n")
    sys.stdout.flush()
    while not stop.wait(0.5):
        pass
    server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
