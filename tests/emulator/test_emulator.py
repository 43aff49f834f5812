# -*- coding: utf-8 -*-
# Copyright: Contributors to the edge.cloudfront collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Fidelity tests: the emulator speaks CloudFront's wire format as botocore and the AWS CLI v1 understand it.

Run: /tmp/v1/bin/pytest -q tests/emulator   (the AWS CLI comes from $EDGE_AWS_CLI or PATH)
"""

from __future__ import absolute_import, division, print_function

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import boto3
import botocore.session
import pytest
from botocore import UNSIGNED
from botocore.config import Config
from botocore.exceptions import ClientError, ConnectionClosedError, EndpointConnectionError, HTTPClientError

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

import cloudfront_emulator as ce  # noqa: E402  pylint: disable=wrong-import-position
from cloudfront_emulator import EmulatorServer  # noqa: E402  pylint: disable=wrong-import-position

ACCESS_KEY = "AKIDEDGEEMULATORTEST"
SECRET = "EDGEsecretDONOTLEAK0123456789abcdefghij"
SESSION_TOKEN = "EDGEsessionTOKENdonotleak0123456789"
DEMO = os.path.join(_HERE, "scenarios", "demo.yml")
# botocore's retries "max_attempts" counts *retries* (max_attempts=1 means 2 requests);
# total_max_attempts=1 is what sends exactly one request.
NO_RETRY = Config(retries={"total_max_attempts": 1, "mode": "standard"})


def make_client(server, config=NO_RETRY, region="us-east-1", **kwargs):
    return boto3.session.Session().client(
        "cloudfront", endpoint_url=server.url, region_name=region, aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET, config=config, **kwargs)


def tenant(name, **kwargs):
    spec = {"name": name, "distribution_id": "E1ABCDEF", "domains": ["%s.example.com" % name]}
    spec.update(kwargs)
    return spec


def admin(server, method, path, payload=None):
    data = None if payload is None else json.dumps(payload).encode()
    req = urllib.request.Request(server.url + path, data=data, method=method)
    try:
        with urllib.request.urlopen(req, timeout=5) as resp:
            return resp.status, json.loads(resp.read().decode())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read().decode())


@pytest.fixture
def server():
    srv = EmulatorServer()
    srv.start()
    yield srv
    srv.stop()


# ---------------------------------------------------------------------------
# the transcribed wire format is botocore's
# ---------------------------------------------------------------------------
def test_wire_tables_match_botocore_model():
    model = botocore.session.get_session().get_service_model("cloudfront")
    assert model.api_version == ce.API_VERSION
    seen = set()

    def check(shape):
        if shape.name in seen:
            return
        seen.add(shape.name)
        if shape.type_name == "structure":
            assert shape.name in ce.STRUCTURES, shape.name
            members = [(name, ref.name) for name, ref in shape.members.items() if "location" not in ref.serialization]
            assert ce.STRUCTURES[shape.name] == members, shape.name
            for name, ref in shape.members.items():
                assert ref.serialization.get("name", name) == name, (shape.name, name)
                if "location" not in ref.serialization:
                    check(ref)
        elif shape.type_name == "list":
            assert not shape.serialization.get("flattened")
            assert ce.LISTS[shape.name] == (shape.member.serialization.get("name", "member"), shape.member.name), shape.name
            check(shape.member)
        elif getattr(shape, "enum", None):
            assert ce.ENUMS[shape.name] == list(shape.enum), shape.name
        else:
            assert ce.SCALARS[shape.name] == shape.type_name, shape.name

    for name, spec in ce.OPERATIONS.items():
        op = model.operation_model(name)
        assert op.http["method"] == spec["method"]
        assert op.http["requestUri"] == spec["uri"]
        out = op.output_shape
        assert out.serialization.get("payload") == spec["payload"], name
        if spec["payload"]:
            assert out.members[spec["payload"]].name == spec["output_shape"]
        else:
            assert out.name == spec["output_shape"]
        headers = [n for n, ref in out.members.items() if ref.serialization.get("location") == "header"]
        assert headers == spec["headers"]
        assert [e.name for e in op.error_shapes][:2] == ["AccessDenied", "EntityNotFound"]
        inp = op.input_shape
        query = dict((ref.serialization["name"], n) for n, ref in inp.members.items()
                     if ref.serialization.get("location") == "querystring")
        assert query == spec.get("query", {})
        if spec["input_root"]:
            assert inp.serialization["name"] == spec["input_root"] == inp.name
            assert inp.serialization["xmlNamespace"]["uri"] == ce.XMLNS
            check(inp)
        check(model.shape_for(spec["output_shape"]))
    errors = dict((s.name, s.metadata["error"]["httpStatusCode"]) for s in model.error_shapes)
    assert errors["EntityNotFound"] == 404 and errors["AccessDenied"] == 403 and errors["InvalidArgument"] == 400


# ---------------------------------------------------------------------------
# operations parsed by boto3
# ---------------------------------------------------------------------------
def test_get_managed_certificate_details_self_hosted_and_cloudfront(server):
    server.load({"tenants": [
        tenant("tenant-a", domains=["www.example.com", "example.com"], certificate={"statuses": ["pending-validation"]}),
        tenant("tenant-b", certificate={"validation_token_host": "cloudfront", "statuses": ["issued"]}),
        tenant("tenant-c", certificate={"arn": "arn:aws:acm:us-east-1:123456789012:certificate/given",
                                        "token_details": [{"domain": "x.example.com", "redirect_from": "http://f",
                                                           "redirect_to": "https://t"}]}),
        tenant("no-cert"),
    ]})
    client = make_client(server)
    resp = client.get_managed_certificate_details(Identifier="tenant-a")
    details = resp["ManagedCertificateDetails"]
    assert details["CertificateStatus"] == "pending-validation"
    assert details["ValidationTokenHost"] == "self-hosted"
    assert re.match(r"^arn:aws:acm:us-east-1:123456789012:certificate/[0-9a-f-]{36}$", details["CertificateArn"])
    assert [d["Domain"] for d in details["ValidationTokenDetails"]] == ["www.example.com", "example.com"]
    first = details["ValidationTokenDetails"][0]
    token = re.match(r"^http://www\.example\.com/\.well-known/pki-validation/([0-9a-f]{32})\.txt$", first["RedirectFrom"]).group(1)
    assert first["RedirectTo"].startswith("https://validation.") and first["RedirectTo"].endswith("/%s.txt" % token)
    assert resp["ResponseMetadata"]["RequestId"] == server.requests()[0]["request_id"]
    assert resp["ResponseMetadata"]["HTTPHeaders"]["content-type"] == "text/xml"

    details = client.get_managed_certificate_details(Identifier="tenant-b")["ManagedCertificateDetails"]
    assert details["ValidationTokenHost"] == "cloudfront"
    assert details["ValidationTokenDetails"] == []
    assert details["CertificateStatus"] == "issued"

    details = client.get_managed_certificate_details(Identifier="tenant-c")["ManagedCertificateDetails"]
    assert details["CertificateArn"] == "arn:aws:acm:us-east-1:123456789012:certificate/given"
    assert details["ValidationTokenDetails"] == [{"Domain": "x.example.com", "RedirectFrom": "http://f", "RedirectTo": "https://t"}]

    for ident in ("no-cert", "does-not-exist"):
        with pytest.raises(ClientError) as exc:
            client.get_managed_certificate_details(Identifier=ident)
        assert exc.value.response["Error"]["Code"] == "EntityNotFound"
        assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 404
        assert isinstance(exc.value, client.exceptions.EntityNotFound)


def test_get_distribution_tenant_by_id_name_arn_and_domain(server):
    server.load({"account_id": "210987654321", "tenants": [
        tenant("shop", id="dt_SHOP", connection_group_id="cg_1", domains=["www.shop.example.com", "*.img.example.com"],
               tags={"team": "web"}, parameters={"origin": "o.example.com"}),
        tenant("other"),
    ]})
    client = make_client(server)
    arn = "arn:aws:cloudfront::210987654321:distribution-tenant/dt_SHOP"
    for ident in ("dt_SHOP", "shop", arn):
        resp = client.get_distribution_tenant(Identifier=ident)
        dt = resp["DistributionTenant"]
        assert (dt["Id"], dt["Name"], dt["Arn"], dt["DistributionId"]) == ("dt_SHOP", "shop", arn, "E1ABCDEF")
        assert dt["Domains"] == [{"Domain": "www.shop.example.com", "Status": "active"},
                                 {"Domain": "*.img.example.com", "Status": "active"}]
        assert dt["ConnectionGroupId"] == "cg_1" and dt["Enabled"] is True and dt["Status"] == "Deployed"
        assert dt["Tags"] == {"Items": [{"Key": "team", "Value": "web"}]}
        assert dt["Parameters"] == [{"Name": "origin", "Value": "o.example.com"}]
        assert dt["CreatedTime"].year == 2025
        assert re.match(r"^E[0-9A-Z]{13}$", resp["ETag"])
    resp = client.get_distribution_tenant_by_domain(Domain="www.shop.example.com")
    assert resp["DistributionTenant"]["Id"] == "dt_SHOP" and resp["ETag"]
    assert client.get_distribution_tenant_by_domain(Domain="a.img.example.com")["DistributionTenant"]["Id"] == "dt_SHOP"
    other = client.get_distribution_tenant(Identifier="other")["DistributionTenant"]
    assert re.match(r"^dt_[0-9A-Za-z]{27}$", other["Id"])
    assert other["Arn"] == "arn:aws:cloudfront::210987654321:distribution-tenant/" + other["Id"]
    assert "ConnectionGroupId" not in other and "Tags" not in other
    with pytest.raises(ClientError) as exc:
        client.get_distribution_tenant_by_domain(Domain="nope.example.com")
    assert exc.value.response["Error"]["Code"] == "EntityNotFound"
    with pytest.raises(ClientError) as exc:
        client.get_distribution_tenant(Identifier="dt_missing")
    assert exc.value.response["Error"]["Code"] == "EntityNotFound"
    log = server.requests()
    by_domain = [e for e in log if e["operation"] == "GetDistributionTenantByDomain"][0]
    assert by_domain["query"] == {"domain": "www.shop.example.com"} and by_domain["method"] == "GET"


def test_list_distribution_tenants_paginator_and_filters(server):
    generate = [
        {"count": 249, "name_prefix": "fleet-", "distribution_id": "E2FLEET",
         "certificate": {"validation_token_host": "cloudfront", "statuses": ["issued"]}},
        {"count": 30, "name_prefix": "cg-", "distribution_id": "E3OTHER", "connection_group_id": "cg_a"},
        {"count": 5, "name_prefix": "both-", "distribution_id": "E2FLEET", "connection_group_id": "cg_a"},
    ]
    server.load({"tenants": [tenant("first", distribution_id="E2FLEET", connection_group_id="cg_a")], "generate": generate})
    client = make_client(server)
    pages = list(client.get_paginator("list_distribution_tenants").paginate(
        AssociationFilter={"DistributionId": "E2FLEET"}, PaginationConfig={"PageSize": 100}))
    assert [len(p["DistributionTenantList"]) for p in pages] == [100, 100, 55]
    names = [t["Name"] for p in pages for t in p["DistributionTenantList"]]
    assert names[:3] == ["first", "fleet-0001", "fleet-0002"] and names[-1] == "both-0005" and len(set(names)) == 255
    assert "NextMarker" in pages[0] and "NextMarker" not in pages[-1]
    summary = pages[0]["DistributionTenantList"][1]
    assert set(summary) >= {"Id", "DistributionId", "Name", "Arn", "Domains", "CreatedTime", "LastModifiedTime", "ETag"}
    assert summary["Domains"] == [{"Domain": "fleet-0001.example.com", "Status": "active"}]
    bodies = [e["body"] for e in server.requests()]
    assert all("<MaxItems>100</MaxItems>" in b for b in bodies)
    assert "<Marker>" not in bodies[0] and "<Marker>%s</Marker>" % pages[0]["NextMarker"] in bodies[1]
    assert all(b.startswith('<ListDistributionTenantsRequest xmlns="%s">' % ce.XMLNS) for b in bodies)

    def names_for(**flt):
        return [t["Name"] for p in client.get_paginator("list_distribution_tenants").paginate(**flt)
                for t in p["DistributionTenantList"]]

    assert len(names_for()) == 285  # default MaxItems 100: 3 pages
    assert names_for(AssociationFilter={"ConnectionGroupId": "cg_a"})[:2] == ["first", "cg-0001"]
    assert len(names_for(AssociationFilter={"ConnectionGroupId": "cg_a"})) == 36
    assert names_for(AssociationFilter={"DistributionId": "E2FLEET", "ConnectionGroupId": "cg_a"}) == [
        "first", "both-0001", "both-0002", "both-0003", "both-0004", "both-0005"]
    assert client.list_distribution_tenants(AssociationFilter={"DistributionId": "ENONE"})["DistributionTenantList"] == []
    resp = client.list_distribution_tenants(MaxItems=2)
    assert len(resp["DistributionTenantList"]) == 2
    assert client.list_distribution_tenants(Marker=resp["NextMarker"], MaxItems=1)["DistributionTenantList"][0]["Name"] == "fleet-0002"
    with pytest.raises(ClientError) as exc:
        client.list_distribution_tenants(Marker="bogus")
    assert exc.value.response["Error"]["Code"] == "InvalidArgument"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_verify_dns_configuration(server):
    server.load({"tenants": [
        tenant("ok", domains=["a.example.com", "b.example.com"]),
        tenant("mixed", domains=["c.example.com", "d.example.com"],
               dns_status={"c.example.com": "invalid-configuration",
                           "d.example.com": {"status": "unknown-configuration", "reason": "no answer"}}),
    ]})
    client = make_client(server)
    resp = client.verify_dns_configuration(Identifier="ok")
    assert resp["DnsConfigurationList"] == [{"Domain": "a.example.com", "Status": "valid-configuration"},
                                            {"Domain": "b.example.com", "Status": "valid-configuration"}]
    resp = client.verify_dns_configuration(Identifier="mixed")
    assert [(d["Domain"], d["Status"]) for d in resp["DnsConfigurationList"]] == [
        ("c.example.com", "invalid-configuration"), ("d.example.com", "unknown-configuration")]
    assert resp["DnsConfigurationList"][0]["Reason"] and resp["DnsConfigurationList"][1]["Reason"] == "no answer"
    resp = client.verify_dns_configuration(Identifier="mixed", Domain="c.example.com")
    assert [d["Domain"] for d in resp["DnsConfigurationList"]] == ["c.example.com"]
    body = server.requests()[-1]["body"]
    assert body.startswith('<VerifyDnsConfigurationRequest xmlns="%s">' % ce.XMLNS) and "<Identifier>mixed</Identifier>" in body
    with pytest.raises(ClientError) as exc:
        client.verify_dns_configuration(Identifier="missing")
    assert exc.value.response["Error"]["Code"] == "EntityNotFound"


# ---------------------------------------------------------------------------
# certificate status over time
# ---------------------------------------------------------------------------
def test_statuses_advance_per_poll_and_per_tenant(server):
    server.load({"tenants": [
        tenant("a", certificate={"statuses": ["pending-validation", "pending-validation", "issued"]}),
        tenant("b", certificate={"statuses": ["pending-validation", "failed"]}),
    ]})
    client = make_client(server)

    def status(ident):
        return client.get_managed_certificate_details(Identifier=ident)["ManagedCertificateDetails"]["CertificateStatus"]

    assert [status("a") for dummy in range(2)] == ["pending-validation"] * 2
    assert status("b") == "pending-validation"
    assert [status("a") for dummy in range(3)] == ["issued"] * 3
    assert [status("b") for dummy in range(2)] == ["failed"] * 2
    # other operations and other identifiers of the same tenant share the counter
    server.load({"tenants": [tenant("c", certificate={"statuses": ["pending-validation", "issued"]})]})
    client.get_distribution_tenant(Identifier="c")
    arn = server.tenant("c")["arn"]
    assert status(arn) == "pending-validation"
    assert status(server.tenant("c")["id"]) == "issued"
    assert server.tenant("c")["certificate"]["polls"] == 2


def test_timeline_advances_with_time_and_admin_force(server):
    client = make_client(server)
    client.list_distribution_tenants()  # warm up (client and connection) before the clock starts
    server.load({"tenants": [
        tenant("t", certificate={"timeline": [{"status": "pending-validation", "until": 0.4}, {"status": "issued"}]}),
        tenant("u", certificate={"statuses": ["pending-validation"]}),
    ]})

    def status(ident):
        return client.get_managed_certificate_details(Identifier=ident)["ManagedCertificateDetails"]["CertificateStatus"]

    assert status("t") == "pending-validation"
    time.sleep(0.45)
    assert status("t") == "issued"
    # load() restarts the clock
    server.load({"tenants": [
        tenant("t", certificate={"timeline": [{"status": "pending-validation", "until": 5}, {"status": "issued"}]}),
        tenant("u", certificate={"statuses": ["pending-validation"]}),
    ]})
    assert status("t") == "pending-validation"
    code, body = admin(server, "POST", "/_emulator/tenants/u/status", {"status": "issued"})
    assert code == 200, body
    assert status("u") == "issued"
    arn = server.tenant("t")["arn"]
    code, body = admin(server, "POST", "/_emulator/tenants/%s/status" % urllib.request.quote(arn, safe=""),
                       {"status": "revoked"})
    assert code == 200, body
    assert status("t") == "revoked"
    assert admin(server, "POST", "/_emulator/tenants/u/status", {"status": "bogus"})[0] == 400
    assert admin(server, "POST", "/_emulator/tenants/nobody/status", {"status": "issued"})[0] == 400


# ---------------------------------------------------------------------------
# faults
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("kind,code,http_status", [
    ("throttling", "Throttling", 400),
    ("throttling_429", "TooManyRequestsException", 429),
    ("internal_error", "InternalError", 500),
    ("service_unavailable", "ServiceUnavailable", 503),
    ("access_denied", "AccessDenied", 403),
    ("expired_token", "ExpiredToken", 403),
])
def test_error_faults_map_to_client_errors(server, kind, code, http_status):
    server.load({"tenants": [tenant("tenant-a", certificate={"statuses": ["issued"]})],
                 "faults": [{"operation": "GetManagedCertificateDetails", "kind": kind}]})
    client = make_client(server)
    with pytest.raises(ClientError) as exc:
        client.get_managed_certificate_details(Identifier="tenant-a")
    err = exc.value.response
    assert err["Error"]["Code"] == code
    assert err["ResponseMetadata"]["HTTPStatusCode"] == http_status
    assert err["ResponseMetadata"]["RequestId"]
    if kind == "access_denied":
        assert err["Error"]["Message"] == (
            "User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: "
            "cloudfront:GetManagedCertificateDetails on resource: %s" % server.tenant("tenant-a")["arn"])
        assert isinstance(exc.value, client.exceptions.AccessDenied)
    if kind == "expired_token":
        assert err["Error"]["Message"] == "The security token included in the request is expired"
    if kind.startswith("throttling"):
        assert err["Error"]["Message"] == "Rate exceeded"
    # other operations are untouched
    assert client.get_distribution_tenant(Identifier="tenant-a")["DistributionTenant"]["Name"] == "tenant-a"
    entry = server.requests()[0]
    assert (entry["fault"], entry["status"], entry["error_code"]) == (kind, http_status, code)


def test_transient_faults_are_retried_by_botocore_standard_mode(server):
    server.load({"tenants": [tenant("a", certificate={"statuses": ["issued"]})],
                 "faults": [{"kind": "internal_error", "count": 1}]})
    client = make_client(server, config=Config(retries={"total_max_attempts": 2, "mode": "standard"}))
    resp = client.get_managed_certificate_details(Identifier="a")
    assert resp["ResponseMetadata"]["RetryAttempts"] == 1
    assert [e["status"] for e in server.requests()] == [500, 200]


def test_connection_reset_fault(server):
    server.load({"tenants": [tenant("a", certificate={"statuses": ["issued"]})],
                 "faults": [{"operation": "*", "kind": "connection_reset", "count": 1}]})
    client = make_client(server)
    with pytest.raises((ConnectionClosedError, EndpointConnectionError, HTTPClientError)) as exc:
        client.get_managed_certificate_details(Identifier="a")
    assert isinstance(exc.value, ConnectionClosedError)
    # the server keeps serving after a reset
    assert client.get_managed_certificate_details(Identifier="a")["ManagedCertificateDetails"]["CertificateStatus"] == "issued"
    assert [(e["fault"], e["status"]) for e in server.requests()] == [("connection_reset", None), (None, 200)]


def test_fault_count_every_after_and_identifier(server):
    server.load({
        "tenants": [tenant("a", certificate={"statuses": ["issued"]}), tenant("b", certificate={"statuses": ["issued"]})],
        "faults": [
            {"operation": "GetManagedCertificateDetails", "identifier": "a", "kind": "throttling", "count": 3},
            {"operation": "GetDistributionTenant", "kind": "internal_error", "every": 4},
            {"operation": "VerifyDnsConfiguration", "kind": "service_unavailable", "after": 2, "count": 1},
        ]})
    client = make_client(server)

    def outcome(call, **kwargs):
        try:
            call(**kwargs)
            return "ok"
        except ClientError as err:
            return err.response["Error"]["Code"]

    arn_b = server.tenant("b")["arn"]
    assert outcome(client.get_managed_certificate_details, Identifier=arn_b) == "ok"
    # the fault names tenant "a" and also matches its ID and ARN
    ids = [server.tenant("a")[k] for k in ("arn", "id", "name", "name")]
    assert [outcome(client.get_managed_certificate_details, Identifier=i) for i in ids] == ["Throttling"] * 3 + ["ok"]
    assert [outcome(client.get_distribution_tenant, Identifier="b") for dummy in range(9)] == (
        ["ok"] * 3 + ["InternalError"] + ["ok"] * 3 + ["InternalError", "ok"])
    assert [outcome(client.verify_dns_configuration, Identifier="a") for dummy in range(5)] == (
        ["ok", "ok", "ServiceUnavailable", "ok", "ok"])
    # faults can be added at run time
    code, dummy = admin(server, "POST", "/_emulator/faults", {"kind": "expired_token", "count": 1})
    assert code == 200
    assert outcome(client.list_distribution_tenants) == "ExpiredToken"
    assert outcome(client.list_distribution_tenants) == "ok"
    assert admin(server, "DELETE", "/_emulator/faults")[0] == 200
    assert admin(server, "POST", "/_emulator/faults", {"kind": "nonsense"})[0] == 400


def test_latency_and_slow_fault(server):
    server.load({"latency_ms": 150, "tenants": [tenant("a", certificate={"statuses": ["issued"]})],
                 "faults": [{"kind": "slow", "delay_ms": 300, "count": 1}]})
    client = make_client(server)
    start = time.monotonic()
    client.get_managed_certificate_details(Identifier="a")
    assert time.monotonic() - start >= 0.45
    start = time.monotonic()
    client.get_managed_certificate_details(Identifier="a")
    assert time.monotonic() - start >= 0.15
    log = server.requests()
    assert log[0]["fault"] == "slow" and log[0]["duration"] >= 0.45 and log[0]["status"] == 200
    assert log[1]["fault"] is None and 0.15 <= log[1]["duration"] < 0.4  # the slow fault (count 1) is spent
    assert log[1]["t"] > log[0]["t"]


# ---------------------------------------------------------------------------
# identifiers, auth, secrets
# ---------------------------------------------------------------------------
def test_identifiers_travel_percent_encoded_in_one_segment(server):
    names = ["weird/../name", "q?x=1&y", "hash#frag", "..", "sp ace+plus%2F"]
    server.load({"tenants": [tenant("t%d" % i, domains=["d%d.example.com" % i], id="dt_%d" % i) for i in range(len(names))]
                 + [dict(tenant(n, domains=["n%d.example.com" % i]), certificate={"statuses": ["issued"]})
                    for i, n in enumerate(names)]})
    client = make_client(server)
    for name in names:
        assert client.get_distribution_tenant(Identifier=name)["DistributionTenant"]["Name"] == name
        assert client.get_managed_certificate_details(Identifier=name)["ManagedCertificateDetails"]["CertificateStatus"] == "issued"
    arn = server.tenant("weird/../name")["arn"]
    assert client.get_managed_certificate_details(Identifier=arn)["ManagedCertificateDetails"]["CertificateStatus"] == "issued"
    log = server.requests()
    for entry in log:
        assert entry["raw_path"].count("/") == 3, entry["raw_path"]
        assert "?" not in entry["raw_path"] and "#" not in entry["raw_path"]
    assert log[0]["raw_path"] == "/2020-05-31/distribution-tenant/weird%2F..%2Fname"
    assert [e["path_identifier"] for e in log[::2][:len(names)]] == names
    assert log[-1]["raw_path"] == "/2020-05-31/managed-certificate/" + arn.replace(":", "%3A").replace("/", "%2F")
    assert log[-1]["path_identifier"] == arn and log[-1]["query"] == {}


def test_requests_without_sigv4_are_refused(server):
    server.load({"tenants": [tenant("a", certificate={"statuses": ["issued"]})]})
    unsigned = make_client(server, config=Config(signature_version=UNSIGNED, retries={"total_max_attempts": 1}))
    with pytest.raises(ClientError) as exc:
        unsigned.get_managed_certificate_details(Identifier="a")
    assert exc.value.response["Error"]["Code"] == "MissingAuthenticationToken"
    assert exc.value.response["ResponseMetadata"]["HTTPStatusCode"] == 403

    def raw(path, headers):
        req = urllib.request.Request(server.url + path, headers=headers)
        try:
            with urllib.request.urlopen(req, timeout=5) as resp:
                return resp.status, resp.headers, resp.read().decode()
        except urllib.error.HTTPError as err:
            return err.code, err.headers, err.read().decode()

    status, headers, body = raw("/2020-05-31/managed-certificate/a", {})
    assert status == 403 and headers["x-amzn-RequestId"]
    assert re.fullmatch(
        r'<\?xml version="1.0" encoding="UTF-8"\?>\n<ErrorResponse xmlns="http://cloudfront.amazonaws.com/doc/2020-05-31/">'
        r"<Error><Type>Sender</Type><Code>MissingAuthenticationToken</Code><Message>[^<]+</Message></Error>"
        r"<RequestId>%s</RequestId></ErrorResponse>" % re.escape(headers["x-amzn-RequestId"]), body)
    assert raw("/2020-05-31/managed-certificate/a", {"Authorization": "Bearer x"})[0] == 403
    auth = {"Authorization": "AWS4-HMAC-SHA256 Credential=AKIDRAW/20250101/us-east-1/cloudfront/aws4_request, "
                             "SignedHeaders=host, Signature=deadbeef"}
    assert raw("/2020-05-31/managed-certificate/a", auth)[0] == 200
    status, headers, body = raw("/2020-05-31/no-such-thing", auth)
    assert status == 404 and "<Code>NotFound</Code>" in body and headers["x-amzn-RequestId"]
    assert raw("/2019-03-26/distribution", auth)[0] == 404
    # CloudFront only accepts the us-east-1 signing scope (botocore signs for the client's region with endpoint_url)
    with pytest.raises(ClientError) as exc:
        make_client(server, region="eu-west-1").get_managed_certificate_details(Identifier="a")
    assert exc.value.response["Error"]["Code"] == "SignatureDoesNotMatch"
    assert "eu-west-1" in exc.value.response["Error"]["Message"]
    server.load({"signing_region": "*", "tenants": [tenant("a", certificate={"statuses": ["issued"]})]})
    make_client(server, region="eu-west-1").get_managed_certificate_details(Identifier="a")
    assert server.requests()[-1]["signing_region"] == "eu-west-1"


def test_request_log_has_credential_scope_but_never_secrets(server):
    server.load({"tenants": [tenant("a", certificate={"statuses": ["issued"]})],
                 "faults": [{"operation": "ListDistributionTenants", "kind": "throttling", "count": 1}]})
    signatures = []

    def grab(request, **kwargs):  # pylint: disable=unused-argument
        auth = request.headers.get("Authorization")
        auth = auth.decode() if isinstance(auth, bytes) else auth
        signatures.append(auth.split("Signature=")[1])

    client = make_client(server, aws_session_token=SESSION_TOKEN)
    client.meta.events.register("before-send.cloudfront", grab)
    client.get_managed_certificate_details(Identifier="a")
    client.get_distribution_tenant(Identifier="a")
    client.get_distribution_tenant_by_domain(Domain="a.example.com")
    with pytest.raises(ClientError):
        client.list_distribution_tenants()
    client.verify_dns_configuration(Identifier="a")
    with pytest.raises(ClientError):
        client.get_managed_certificate_details(Identifier="missing")
    assert len(signatures) == 6
    code, log = admin(server, "GET", "/_emulator/requests")
    assert code == 200 and len(log) == 6
    dump = json.dumps(log)
    assert SECRET not in dump and SESSION_TOKEN not in dump
    for sig in signatures:
        assert sig not in dump
    assert "Signature" not in dump
    for entry in log:
        assert entry["access_key_id"] == ACCESS_KEY
        assert entry["signing_region"] == "us-east-1" and entry["signing_service"] == "cloudfront"
        assert entry["session_token"] is True
        assert entry["user_agent"].startswith("Boto3/")
        assert set(entry) >= {"operation", "method", "raw_path", "path_identifier", "query", "body", "status", "fault",
                              "access_key_id", "signing_region", "signing_service", "user_agent", "t", "duration"}
    assert [e["operation"] for e in log] == ["GetManagedCertificateDetails", "GetDistributionTenant",
                                             "GetDistributionTenantByDomain", "ListDistributionTenants",
                                             "VerifyDnsConfiguration", "GetManagedCertificateDetails"]
    assert [e["status"] for e in log] == [200, 200, 200, 400, 200, 404]


def test_concurrent_polls_are_counted_exactly(server):
    server.load({"tenants": [tenant("a", certificate={"statuses": ["pending-validation"] * 39 + ["issued"]})]})
    client = make_client(server)

    def poll(dummy):  # pylint: disable=unused-argument
        return client.get_managed_certificate_details(Identifier="a")["ManagedCertificateDetails"]["CertificateStatus"]

    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(poll, range(48)))
    assert results.count("pending-validation") == 39 and results.count("issued") == 9
    assert server.tenant("a")["certificate"]["polls"] == 48


# ---------------------------------------------------------------------------
# admin API, scenario files, CLI mode, pytest fixture
# ---------------------------------------------------------------------------
def test_admin_api(server):
    assert admin(server, "GET", "/_emulator/health") == (200, {"status": "ok", "url": server.url})
    code, body = admin(server, "POST", "/_emulator/scenario", {"tenants": [tenant("a")]})
    assert (code, body["tenants"]) == (200, 1)
    client = make_client(server)
    client.get_distribution_tenant(Identifier="a")
    client.get_distribution_tenant(Identifier="a")
    code, log = admin(server, "GET", "/_emulator/requests")
    assert code == 200 and len(log) == 2  # admin requests are not logged
    assert admin(server, "POST", "/_emulator/reset") == (200, {"status": "reset"})
    assert admin(server, "GET", "/_emulator/requests") == (200, [])
    client.get_distribution_tenant(Identifier="a")
    assert admin(server, "DELETE", "/_emulator/requests")[0] == 200
    assert server.requests() == []
    code, tenants = admin(server, "GET", "/_emulator/tenants")
    assert code == 200 and tenants[0]["name"] == "a" and tenants[0]["certificate"] is None
    assert admin(server, "POST", "/_emulator/scenario", {"tenants": [{"name": "x", "bogus": 1}]})[0] == 400
    assert admin(server, "POST", "/_emulator/scenario", {"tenants": [tenant("x"), tenant("x")]})[0] == 400
    assert admin(server, "GET", "/_emulator/nothing")[0] == 404
    # a new scenario replaces the state
    admin(server, "POST", "/_emulator/scenario", {"tenants": [tenant("b")]})
    with pytest.raises(ClientError):
        client.get_distribution_tenant(Identifier="a")
    assert len(server.requests()) == 1


def test_demo_scenario_and_json_without_yaml(tmp_path):
    with EmulatorServer(scenario=DEMO) as srv:
        client = make_client(srv)
        shop = client.get_managed_certificate_details(Identifier="shop-example")["ManagedCertificateDetails"]
        assert shop["CertificateStatus"] == "pending-validation" and shop["ValidationTokenHost"] == "self-hosted"
        assert shop["ValidationTokenDetails"][0]["Domain"] == "www.shop.example.com"
        assert shop["ValidationTokenDetails"][0]["RedirectFrom"].startswith(
            "http://www.shop.example.com/.well-known/pki-validation/")
        static = client.get_managed_certificate_details(Identifier="static-example")["ManagedCertificateDetails"]
        assert (static["CertificateStatus"], static["ValidationTokenHost"]) == ("issued", "cloudfront")
        assert client.get_distribution_tenant_by_domain(Domain="www.shop.example.com")["DistributionTenant"]["Name"] == "shop-example"
        srv.set_status("shop-example", "issued")
        shop = client.get_managed_certificate_details(Identifier="shop-example")["ManagedCertificateDetails"]
        assert shop["CertificateStatus"] == "issued"
    # the module imports and reads JSON scenarios without PyYAML
    scenario = tmp_path / "s.json"
    scenario.write_text(json.dumps({"tenants": [tenant("j", certificate={"statuses": ["issued"]})]}))
    code = (
        "import sys; sys.modules['yaml'] = None; sys.path.insert(0, %r)\n"
        "import cloudfront_emulator as ce\n"
        "s = ce.EmulatorServer(scenario=%r); print(s.tenants()[0]['certificate']['status'])\n"
        "try:\n    ce.EmulatorServer(scenario=%r)\nexcept ce.ScenarioError as e:\n    print('noyaml', e)\n"
    ) % (_HERE, str(scenario), DEMO)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=20, check=True).stdout
    assert out.splitlines()[0] == "issued" and out.splitlines()[1].startswith("noyaml")


def test_cli_mode_url_file_and_sigterm(tmp_path):
    url_file = tmp_path / "url"
    proc = subprocess.Popen([sys.executable, os.path.join(_HERE, "cloudfront_emulator.py"), "--scenario", DEMO,
                             "--port", "0", "--url-file", str(url_file)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        url = proc.stdout.readline().strip()
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", url)
        assert url_file.read_text().strip() == url
        with urllib.request.urlopen(url + "/_emulator/health", timeout=5) as resp:
            assert resp.status == 200
        client = boto3.session.Session().client("cloudfront", endpoint_url=url, region_name="us-east-1",
                                                aws_access_key_id=ACCESS_KEY, aws_secret_access_key=SECRET, config=NO_RETRY)
        assert client.get_distribution_tenant(Identifier="shop-example")["DistributionTenant"]["Name"] == "shop-example"
    finally:
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    assert proc.returncode == 0
    assert out == "" and err == ""  # quiet by default: no access log
    bad = tmp_path / "bad.json"
    bad.write_text('{"tenants": [{"name": "x", "certificate": {"statuses": ["nope"]}}]}')
    res = subprocess.run([sys.executable, os.path.join(_HERE, "cloudfront_emulator.py"), "--scenario", str(bad)],
                         capture_output=True, text=True, timeout=20, check=False)
    assert res.returncode == 2 and "nope" in res.stderr


@pytest.mark.cloudfront_scenario({"tenants": [{"name": "fx", "domains": ["fx.example.com"], "certificate": {"statuses": ["issued"]}}]})
def test_pytest_fixture(cloudfront_emulator):
    assert isinstance(cloudfront_emulator, EmulatorServer)
    client = make_client(cloudfront_emulator)
    assert client.get_managed_certificate_details(Identifier="fx")["ManagedCertificateDetails"]["CertificateStatus"] == "issued"
    env = cloudfront_emulator.aws_env()
    assert env["AWS_ENDPOINT_URL_CLOUDFRONT"] == cloudfront_emulator.url


def test_stop_frees_the_server():
    srv = EmulatorServer().start()
    url = srv.url
    urllib.request.urlopen(url + "/_emulator/health", timeout=5).close()
    srv.stop()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(url + "/_emulator/health", timeout=2)


# ---------------------------------------------------------------------------
# AWS CLI v1
# ---------------------------------------------------------------------------
def aws_cli():
    path = os.environ.get("EDGE_AWS_CLI") or shutil.which("aws")
    if not path or not os.access(path, os.X_OK):
        pytest.fail("AWS CLI not found: set EDGE_AWS_CLI to the path of the `aws` executable "
                    "(python3 -m venv .venv-awscli && .venv-awscli/bin/pip install awscli) or put `aws` on PATH")
    return path


def run_cli(server, tmp_path, *args):
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("AWS_"))
    env.update({
        "AWS_ACCESS_KEY_ID": ACCESS_KEY, "AWS_SECRET_ACCESS_KEY": SECRET,
        "AWS_CONFIG_FILE": str(tmp_path / "nonexistent-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "nonexistent-credentials"),
        "AWS_EC2_METADATA_DISABLED": "true", "AWS_MAX_ATTEMPTS": "1", "AWS_PAGER": "",
    })
    cmd = [aws_cli(), "cloudfront"] + list(args) + ["--endpoint-url", server.url, "--region", "us-east-1", "--output", "json"]
    return subprocess.run(cmd, capture_output=True, text=True, env=env, timeout=60, check=False)


def test_aws_cli_parses_responses_and_errors(server, tmp_path):
    server.load({"tenants": [tenant("tenant-a", certificate={"statuses": ["pending-validation"]})],
                 "generate": [{"count": 4, "name_prefix": "cli-"}],
                 "faults": [{"operation": "GetDistributionTenant", "kind": "throttling"}]})
    res = run_cli(server, tmp_path, "get-managed-certificate-details", "--identifier", server.tenant("tenant-a")["arn"])
    assert res.returncode == 0, res.stderr
    details = json.loads(res.stdout)["ManagedCertificateDetails"]
    assert details["CertificateStatus"] == "pending-validation"
    assert details["ValidationTokenDetails"][0]["Domain"] == "tenant-a.example.com"

    res = run_cli(server, tmp_path, "list-distribution-tenants", "--page-size", "2")
    assert res.returncode == 0, res.stderr
    assert [t["Name"] for t in json.loads(res.stdout)["DistributionTenantList"]] == [
        "tenant-a", "cli-0001", "cli-0002", "cli-0003", "cli-0004"]

    res = run_cli(server, tmp_path, "get-managed-certificate-details", "--identifier", "missing")
    assert res.returncode in (254, 255)
    assert ("An error occurred (EntityNotFound) when calling the GetManagedCertificateDetails operation: "
            "The specified distribution tenant does not exist.") in res.stderr

    res = run_cli(server, tmp_path, "get-distribution-tenant", "--identifier", "tenant-a")
    assert res.returncode in (254, 255)
    assert "An error occurred (Throttling) when calling the GetDistributionTenant operation" in res.stderr
    assert "Rate exceeded" in res.stderr

    log = server.requests()
    assert [e["operation"] for e in log[:4]] == ["GetManagedCertificateDetails"] + ["ListDistributionTenants"] * 3
    assert all(e["user_agent"].startswith("aws-cli/1.") for e in log)
    assert all(e["access_key_id"] == ACCESS_KEY and e["signing_region"] == "us-east-1" for e in log)
    assert SECRET not in json.dumps(log)


def test_threads_left_behind_are_daemons():
    assert all(t.daemon for t in threading.enumerate() if t.name.startswith("cloudfront-emulator"))
