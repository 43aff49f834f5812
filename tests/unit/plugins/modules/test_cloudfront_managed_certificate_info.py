# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import json
import random
import time
from unittest import mock

import pytest

from ansible_collections.amazon.aws.plugins.module_utils.botocore import _get_user_agent_string

from ansible_collections.edge.cloudfront.plugins.modules import cloudfront_managed_certificate_info as info
from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import DUMMY_SECRET_KEY
from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import CannedResponder
from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import certificate_response
from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import make_client
from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import tenant_summary

SELF_HOSTED_TOKENS = [
    {
        "Domain": "www.example.com",
        "RedirectFrom": "http://www.example.com/.well-known/pki-validation/abc.txt",
        "RedirectTo": "https://validation.example/abc.txt",
    }
]
DETAIL_KEYS = ["certificate_arn", "certificate_status", "validation_token_host", "validation_token_details"]
LISTING_KEYS = ["distribution_tenant_id", "distribution_tenant_name", "distribution_tenant_arn", "distribution_id", "domains"]


def result_keys(result):
    return sorted(set(result) - {"invocation"})


@pytest.fixture(autouse=True)
def no_region_from_the_environment(monkeypatch, tmp_path):
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "EC2_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))


def test_one_tenant_by_identifier(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_response(
        "get_managed_certificate_details",
        certificate_response("pending-validation", "self-hosted", SELF_HOSTED_TOKENS),
        {"Identifier": "shop-example"},
    )
    run = run_module(info.main, {"identifier": "shop-example"}, client)
    assert not run.failed
    assert result_keys(run.result) == ["changed", "identifier", "managed_certificate_details"]
    assert run.result["changed"] is False
    assert run.result["identifier"] == "shop-example"
    details = run.result["managed_certificate_details"]
    assert list(details) == DETAIL_KEYS
    assert details["certificate_status"] == "pending-validation"
    assert details["validation_token_details"] == [
        {
            "domain": "www.example.com",
            "redirect_from": "http://www.example.com/.well-known/pki-validation/abc.txt",
            "redirect_to": "https://validation.example/abc.txt",
        }
    ]


def test_one_tenant_by_arn_is_sent_as_given(cloudfront, run_module):
    client, stubber = cloudfront
    arn = "arn:aws:cloudfront::123456789012:distribution-tenant/dt_1"
    stubber.add_response("get_managed_certificate_details", certificate_response(), {"Identifier": arn})
    run = run_module(info.main, {"identifier": arn}, client)
    assert run.result["identifier"] == arn


def test_one_tenant_by_domain_returns_the_tenant_id(cloudfront, run_module):
    client, stubber = cloudfront
    tenant = tenant_summary("dt_42")
    tenant.pop("ETag")
    stubber.add_response(
        "get_distribution_tenant_by_domain", {"DistributionTenant": tenant, "ETag": "E1"}, {"Domain": "www.example.com"}
    )
    stubber.add_response("get_managed_certificate_details", certificate_response(), {"Identifier": "dt_42"})
    run = run_module(info.main, {"domain": "www.example.com"}, client)
    assert run.result["identifier"] == "dt_42"
    assert run.result["managed_certificate_details"]["certificate_status"] == "issued"


def test_unknown_domain_is_empty_not_an_error(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_client_error("get_distribution_tenant_by_domain", "EntityNotFound", "none", 404)
    run = run_module(info.main, {"domain": "nowhere.example.com"}, client)
    assert not run.failed
    assert run.result["identifier"] is None
    assert run.result["managed_certificate_details"] == {}


def test_missing_tenant_or_certificate_is_empty_not_an_error(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_client_error("get_managed_certificate_details", "EntityNotFound", "none", 404)
    run = run_module(info.main, {"identifier": "dt_gone"}, client)
    assert not run.failed
    assert run.result["changed"] is False
    assert run.result["managed_certificate_details"] == {}


def test_identifiers_in_given_order_missing_left_out(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_response("get_managed_certificate_details", certificate_response("issued"), {"Identifier": "b"})
    stubber.add_client_error("get_managed_certificate_details", "EntityNotFound", "none", 404, {"Identifier": "gone"})
    stubber.add_response(
        "get_managed_certificate_details", certificate_response("failed"), {"Identifier": "a"}
    )
    run = run_module(info.main, {"identifiers": ["b", "gone", "a"], "max_concurrency": 1}, client)
    assert result_keys(run.result) == ["changed", "managed_certificates"]
    entries = run.result["managed_certificates"]
    assert [(e["identifier"], e["certificate_status"]) for e in entries] == [("b", "issued"), ("a", "failed")]
    assert list(entries[0]) == ["identifier"] + DETAIL_KEYS


def test_listing_walks_pages_applies_filters_and_skips_tenants_without_certificate(cloudfront, run_module):
    client, stubber = cloudfront
    first = [tenant_summary("dt_1"), tenant_summary("dt_2")]
    second = [tenant_summary("dt_3", domains=("a.example.com", "b.example.com"))]
    filters = {"MaxItems": 100, "AssociationFilter": {"DistributionId": "E1ABCDEFGHIJKL", "ConnectionGroupId": "cg_9"}}
    stubber.add_response("list_distribution_tenants", {"DistributionTenantList": first, "NextMarker": "next"}, filters)
    stubber.add_response("list_distribution_tenants", {"DistributionTenantList": second}, dict(filters, Marker="next"))
    stubber.add_response("get_managed_certificate_details", certificate_response("issued"), {"Identifier": "dt_1"})
    stubber.add_client_error("get_managed_certificate_details", "EntityNotFound", "none", 404, {"Identifier": "dt_2"})
    stubber.add_response(
        "get_managed_certificate_details",
        certificate_response("pending-validation", "self-hosted", SELF_HOSTED_TOKENS),
        {"Identifier": "dt_3"},
    )
    run = run_module(
        info.main,
        {"distribution_id": "E1ABCDEFGHIJKL", "connection_group_id": "cg_9", "max_concurrency": 1},
        client,
    )
    entries = run.result["managed_certificates"]
    assert [e["distribution_tenant_id"] for e in entries] == ["dt_1", "dt_3"]
    assert list(entries[1]) == LISTING_KEYS + DETAIL_KEYS
    assert entries[1]["domains"] == ["a.example.com", "b.example.com"]
    assert entries[1]["distribution_tenant_arn"] == "arn:aws:cloudfront::123456789012:distribution-tenant/dt_3"


def test_listing_status_filter(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_response(
        "list_distribution_tenants", {"DistributionTenantList": [tenant_summary(f"dt_{i}") for i in range(4)]}
    )
    for i, status in enumerate(["issued", "pending-validation", "failed", "pending-validation"]):
        stubber.add_response("get_managed_certificate_details", certificate_response(status), {"Identifier": f"dt_{i}"})
    run = run_module(info.main, {"status": ["pending-validation", "failed"], "max_concurrency": 1}, client)
    assert [e["distribution_tenant_id"] for e in run.result["managed_certificates"]] == ["dt_1", "dt_2", "dt_3"]


def test_listing_of_nothing_is_an_empty_list(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_response("list_distribution_tenants", {})
    run = run_module(info.main, {}, client)
    assert run.result["managed_certificates"] == []


@pytest.mark.parametrize("max_concurrency", [4, 16])
def test_concurrent_reads_keep_the_order_whatever_the_completion_order(run_module, max_concurrency):
    client = make_client()
    rng = random.Random(7)
    delays = {f"t{i}": rng.uniform(0, 0.01) for i in range(40)}

    def answer(operation, identifier):
        assert operation == "GetManagedCertificateDetails"
        time.sleep(delays[identifier])
        return certificate_response(arn=f"arn:aws:acm:us-east-1:123456789012:certificate/{identifier}")

    responder = CannedResponder(client, answer)
    run = run_module(info.main, {"identifiers": list(delays), "max_concurrency": max_concurrency}, client)
    assert [e["identifier"] for e in run.result["managed_certificates"]] == list(delays)
    assert [e["certificate_arn"].rsplit("/", 1)[1] for e in run.result["managed_certificates"]] == list(delays)
    assert len(responder.calls) == 40


def test_throttling_is_retried_by_the_module(cloudfront, run_module, no_retry_sleep):
    client, stubber = cloudfront
    for dummy in range(3):
        stubber.add_client_error("get_managed_certificate_details", "Throttling", "Rate exceeded", 400)
    stubber.add_response("get_managed_certificate_details", certificate_response(), {"Identifier": "dt_1"})
    run = run_module(info.main, {"identifier": "dt_1"}, client)
    assert run.result["managed_certificate_details"]["certificate_status"] == "issued"
    assert no_retry_sleep.call_count == 3


def test_access_denied_fails_naming_the_iam_action(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_client_error(
        "get_managed_certificate_details",
        "AccessDenied",
        "User: arn:aws:iam::123456789012:user/ops is not authorized to perform: cloudfront:GetManagedCertificateDetails",
        403,
    )
    run = run_module(info.main, {"identifier": "dt_1"}, client)
    assert run.failed
    assert run.result["msg"].startswith(
        "Access denied calling GetManagedCertificateDetails for distribution tenant 'dt_1': "
        "grant the IAM action cloudfront:GetManagedCertificateDetails to the credentials in use: "
    )
    assert run.result["error"]["code"] == "AccessDenied"
    assert run.result["response_metadata"]["http_status_code"] == 403
    assert "managed_certificate_details" not in run.result


def test_access_denied_on_a_listed_tenant_fails_the_listing(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_response("list_distribution_tenants", {"DistributionTenantList": [tenant_summary("dt_1")]})
    stubber.add_client_error("get_managed_certificate_details", "AccessDenied", "no", 403)
    run = run_module(info.main, {"max_concurrency": 1}, client)
    assert run.failed
    assert "cloudfront:GetManagedCertificateDetails" in run.result["msg"]


def test_access_denied_on_the_domain_lookup_names_that_action(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_client_error("get_distribution_tenant_by_domain", "AccessDenied", "no", 403)
    run = run_module(info.main, {"domain": "www.example.com"}, client)
    assert "grant the IAM action cloudfront:GetDistributionTenantByDomain" in run.result["msg"]


@pytest.mark.parametrize(
    "args, message",
    [
        ({"identifier": ""}, "identifier must be a distribution tenant ARN, ID or name, got an empty value"),
        ({"identifier": "   "}, "identifier must be a distribution tenant ARN, ID or name, got an empty value"),
        ({"identifier": "a/b"}, "identifier 'a/b' is not a distribution tenant ARN, ID or name"),
        ({"domain": ""}, "domain must be a domain name, got an empty value"),
        ({"domain": "http://www.example.com"}, "domain 'http://www.example.com' is not a domain name"),
        ({"identifiers": ["ok", " "]}, "identifiers[1] must be a distribution tenant ARN, ID or name"),
        ({"identifiers": []}, "identifiers must list at least one"),
        ({"identifier": "a", "domain": "www.example.com"}, "choose tenants one way only: identifier, domain"),
        ({"identifier": "a", "identifiers": ["b"]}, "choose tenants one way only: identifier, identifiers"),
        ({"identifier": "a", "distribution_id": "E1"}, "distribution_id only applies when listing tenants"),
        ({"identifiers": ["a"], "status": ["issued"]}, "status only applies when listing tenants"),
        ({"distribution_id": ""}, "distribution_id '' is not a CloudFront ID"),
        ({"connection_group_id": "cg/1"}, "connection_group_id 'cg/1' is not a CloudFront ID"),
        ({"max_concurrency": 0}, "max_concurrency must be between 1 and 32, got 0"),
        ({"max_concurrency": 33}, "max_concurrency must be between 1 and 32, got 33"),
        ({"max_concurrency": "four"}, "max_concurrency"),
        ({"max_concurrency": 2.5}, "max_concurrency"),
        ({"status": ["issued", "done"]}, "status"),
        ({"bogus": 1}, "bogus"),
    ],
)
@pytest.mark.parametrize("check_mode", [False, True])
def test_bad_input_fails_before_any_aws_call(run_module, args, message, check_mode):
    run = run_module(info.main, dict(args, _ansible_check_mode=check_mode))  # no client: connecting would fail the test
    assert run.failed
    assert message in run.result["msg"]
    assert run.connections == []


def test_too_old_botocore_fails_naming_the_versions(run_module):
    old_client = mock.MagicMock(name="cloudfront-client")
    old_client.meta = mock.NonCallableMagicMock(name="meta")
    old_client.meta.service_model.operation_names = ["ListDistributions", "GetDistribution"]
    with mock.patch(
        "ansible_collections.amazon.aws.plugins.module_utils.modules.gather_sdk_versions",
        return_value={"boto3_version": "1.34.0", "botocore_version": "1.34.0"},
    ):
        run = run_module(info.main, {"identifier": "dt_1"}, old_client)
    assert run.failed
    assert run.result["msg"].startswith("botocore 1.34.0 does not know the CloudFront operation GetManagedCertificateDetails")
    assert "botocore >= 1.38.4" in run.result["msg"]
    assert run.result["botocore_version"] == "1.34.0"
    assert not old_client.get_managed_certificate_details.called


@pytest.mark.parametrize(
    "args, region",
    [
        ({}, "us-east-1"),
        ({"endpoint_url": "http://127.0.0.1:8999"}, "us-east-1"),
        ({"region": "eu-west-1"}, "eu-west-1"),
        ({"region": "cn-north-1"}, "cn-north-1"),
        ({"region": "eu-west-1", "endpoint_url": "http://127.0.0.1:8999"}, "us-east-1"),
        ({"region": "cn-north-1", "endpoint_url": "http://127.0.0.1:8999"}, "cn-northwest-1"),
    ],
)
def test_requests_are_signed_for_cloudfronts_region(cloudfront, run_module, args, region):
    client, stubber = cloudfront
    stubber.add_response("get_managed_certificate_details", certificate_response(), {"Identifier": "dt_1"})
    run = run_module(info.main, dict(args, identifier="dt_1"), client)
    assert not run.failed
    assert [c["region"] for c in run.connections] == [region]
    assert run.connections[0]["resource"] == "cloudfront"


def test_connection_pool_fits_the_concurrency(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_response("list_distribution_tenants", {})
    run = run_module(info.main, {"max_concurrency": 32}, client)
    assert run.connections[0]["config"].max_pool_connections == 32


def test_user_agent_names_the_collection(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_response("get_managed_certificate_details", certificate_response(), {"Identifier": "dt_1"})
    run_module(info.main, {"identifier": "dt_1"}, client)
    assert "edge.cloudfront/0.1.0" in _get_user_agent_string()


def test_check_mode_reads_and_changes_nothing(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_response("get_managed_certificate_details", certificate_response(), {"Identifier": "dt_1"})
    run = run_module(info.main, {"identifier": "dt_1", "_ansible_check_mode": True}, client)
    assert run.result["changed"] is False
    assert run.result["managed_certificate_details"]["certificate_status"] == "issued"


def test_secrets_never_appear_in_results(cloudfront, run_module):
    client, stubber = cloudfront
    stubber.add_client_error("get_managed_certificate_details", "AccessDenied", "no", 403)
    run = run_module(
        info.main,
        {"identifier": "dt_1", "secret_key": DUMMY_SECRET_KEY, "session_token": "EDGEsessionTOKENdoNOTleak0987"},
        client,
    )
    text = json.dumps(run.result)
    assert DUMMY_SECRET_KEY not in text
    assert "EDGEsessionTOKENdoNOTleak0987" not in text
