# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import random
import threading
import time

import botocore
import pytest

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError
from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry
from ansible_collections.amazon.aws.plugins.module_utils.retries import RetryingBotoClientWrapper

from ansible_collections.edge.cloudfront.plugins.module_utils import cloudfront as cf

from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import certificate_response
from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import tenant_summary


def wrapped(client):
    return RetryingBotoClientWrapper(client, AWSRetry.jittered_backoff(retries=4))


def test_details_are_snake_cased_without_response_metadata(cloudfront):
    client, stubber = cloudfront
    tokens = [{"Domain": "www.example.com", "RedirectFrom": "http://www.example.com/t.txt", "RedirectTo": "https://v/t.txt"}]
    stubber.add_response(
        "get_managed_certificate_details",
        certificate_response("pending-validation", "self-hosted", tokens),
        {"Identifier": "dt_1"},
    )
    details = cf.get_certificate_details(wrapped(client), "dt_1")
    assert details == {
        "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        "certificate_status": "pending-validation",
        "validation_token_host": "self-hosted",
        "validation_token_details": [
            {"domain": "www.example.com", "redirect_from": "http://www.example.com/t.txt", "redirect_to": "https://v/t.txt"}
        ],
    }


def test_entity_not_found_is_none(cloudfront):
    client, stubber = cloudfront
    stubber.add_client_error("get_managed_certificate_details", "EntityNotFound", "No tenant", 404, {"Identifier": "x"})
    assert cf.get_certificate_details(wrapped(client), "x") is None


def test_throttling_is_retried(cloudfront, no_retry_sleep):
    client, stubber = cloudfront
    stubber.add_client_error("get_managed_certificate_details", "Throttling", "Rate exceeded", 400)
    stubber.add_client_error("get_managed_certificate_details", "ServiceUnavailable", "Try later", 503)
    stubber.add_response("get_managed_certificate_details", certificate_response(), {"Identifier": "dt_1"})
    assert cf.get_certificate_details(wrapped(client), "dt_1")["certificate_status"] == "issued"
    assert no_retry_sleep.call_count == 2


def test_access_denied_names_the_iam_action(cloudfront):
    client, stubber = cloudfront
    stubber.add_client_error("get_managed_certificate_details", "AccessDenied", "not authorized", 403)
    with pytest.raises(AnsibleAWSError) as raised:
        cf.get_certificate_details(wrapped(client), "dt_1")
    assert raised.value.message == (
        "Access denied calling GetManagedCertificateDetails for distribution tenant 'dt_1': "
        "grant the IAM action cloudfront:GetManagedCertificateDetails to the credentials in use"
    )
    assert isinstance(raised.value.exception, botocore.exceptions.ClientError)


def test_other_errors_name_the_call(cloudfront):
    client, stubber = cloudfront
    stubber.add_client_error("get_distribution_tenant_by_domain", "InvalidArgument", "bad", 400)
    with pytest.raises(AnsibleAWSError) as raised:
        cf.get_tenant_id_by_domain(wrapped(client), "www.example.com")
    assert raised.value.message == "Failed to call GetDistributionTenantByDomain for domain 'www.example.com'"


def test_tenant_by_domain(cloudfront):
    client, stubber = cloudfront
    tenant = tenant_summary("dt_7")
    tenant.pop("ETag")
    stubber.add_response(
        "get_distribution_tenant_by_domain", {"DistributionTenant": tenant, "ETag": "E1"}, {"Domain": "www.example.com"}
    )
    stubber.add_client_error("get_distribution_tenant_by_domain", "EntityNotFound", "none", 404)
    assert cf.get_tenant_id_by_domain(wrapped(client), "www.example.com") == "dt_7"
    assert cf.get_tenant_id_by_domain(wrapped(client), "nowhere.example.com") is None


def test_listing_walks_every_page_with_filters_and_retries_a_page_alone(cloudfront, no_retry_sleep):
    client, stubber = cloudfront
    pages = [[tenant_summary(f"dt_{page}_{i}") for i in range(3)] for page in range(3)]
    expected = {"MaxItems": 100, "AssociationFilter": {"DistributionId": "E1", "ConnectionGroupId": "cg_1"}}
    stubber.add_response("list_distribution_tenants", {"DistributionTenantList": pages[0], "NextMarker": "m1"}, expected)
    stubber.add_client_error("list_distribution_tenants", "Throttling", "Rate exceeded", 400)
    stubber.add_response(
        "list_distribution_tenants", {"DistributionTenantList": pages[1], "NextMarker": "m2"}, dict(expected, Marker="m1")
    )
    stubber.add_response("list_distribution_tenants", {"DistributionTenantList": pages[2]}, dict(expected, Marker="m2"))
    tenants = cf.list_tenants(wrapped(client), "E1", "cg_1")
    assert [t["Id"] for t in tenants] == [t["Id"] for page in pages for t in page]
    assert no_retry_sleep.call_count == 1


def test_listing_without_filters_sends_no_association_filter(cloudfront):
    client, stubber = cloudfront
    stubber.add_response("list_distribution_tenants", {}, {"MaxItems": 100})
    assert cf.list_tenants(wrapped(client)) == []


def test_listing_failure_is_reported(cloudfront):
    client, stubber = cloudfront
    stubber.add_client_error("list_distribution_tenants", "AccessDenied", "no", 403)
    with pytest.raises(AnsibleAWSError) as raised:
        cf.list_tenants(wrapped(client))
    assert "grant the IAM action cloudfront:ListDistributionTenants" in raised.value.message


def test_connection_errors_are_reported_not_raised_raw(monkeypatch):
    client = wrapped(cf_client_that_cannot_connect())
    with pytest.raises(AnsibleAWSError) as raised:
        cf.get_certificate_details(client, "dt_1")
    assert raised.value.message == "Failed to call GetManagedCertificateDetails for distribution tenant 'dt_1'"
    assert isinstance(raised.value.exception, botocore.exceptions.EndpointConnectionError)


def cf_client_that_cannot_connect():
    from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import make_client

    client = make_client(endpoint_url="http://127.0.0.1:9")

    def refuse(request, **kwargs):
        raise botocore.exceptions.EndpointConnectionError(endpoint_url=request.url)

    client.meta.events.register_first("before-send", refuse)
    return client


@pytest.mark.parametrize("max_concurrency", [1, 2, 4, 16])
def test_ordered_concurrent_map_keeps_order_and_bounds_concurrency(max_concurrency):
    in_flight = []
    peak = []
    lock = threading.Lock()
    rng = random.Random(max_concurrency)

    def work(item):
        with lock:
            in_flight.append(item)
            peak.append(len(in_flight))
        time.sleep(rng.uniform(0, 0.004))
        with lock:
            in_flight.remove(item)
        return item * 10

    items = list(range(40))
    assert cf.ordered_concurrent_map(work, items, max_concurrency) == [i * 10 for i in items]
    assert max(peak) <= max_concurrency


def test_ordered_concurrent_map_raises_the_first_failure_and_starts_no_more():
    started = []

    def work(item):
        started.append(item)
        if item == 3:
            raise ValueError("item 3")
        time.sleep(0.01)
        return item

    with pytest.raises(ValueError, match="item 3"):
        cf.ordered_concurrent_map(work, range(200), 2)
    assert len(started) < 200


def client_error(code, status):
    return botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": "m"}, "ResponseMetadata": {"HTTPStatusCode": status}}, "GetManagedCertificateDetails"
    )


@pytest.mark.parametrize(
    "error",
    [
        client_error("Throttling", 400),
        client_error("TooManyRequestsException", 429),
        client_error("InternalError", 500),
        client_error("BadGateway", 502),
        botocore.exceptions.ConnectionClosedError(endpoint_url="http://x"),
        botocore.exceptions.ReadTimeoutError(endpoint_url="http://x"),
        botocore.exceptions.ConnectTimeoutError(endpoint_url="http://x"),
    ],
)
def test_cloudfront_retry_retries_transient_errors(error):
    assert cf.CloudFrontRetry.found(cf.CloudFrontRetry.status_code_from_exception(error))


@pytest.mark.parametrize(
    "error",
    [
        client_error("AccessDenied", 403),
        client_error("EntityNotFound", 404),
        client_error("ExpiredToken", 403),
        botocore.exceptions.EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
        botocore.exceptions.NoCredentialsError(),
        ValueError("not from AWS"),
    ],
)
def test_cloudfront_retry_leaves_what_retrying_cannot_fix(error):
    assert not cf.CloudFrontRetry.found(cf.CloudFrontRetry.status_code_from_exception(error))


def test_cloudfront_retry_retries_resets_and_5xx_but_not_denials(no_retry_sleep):
    outcomes = [
        botocore.exceptions.ConnectionClosedError(endpoint_url="http://x"),
        client_error("500", 500),
        "ok",
    ]

    @cf.CloudFrontRetry.jittered_backoff(retries=5)
    def call():
        outcome = outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        return outcome

    assert call() == "ok"
    assert no_retry_sleep.call_count == 2

    @cf.CloudFrontRetry.jittered_backoff(retries=5)
    def denied():
        raise client_error("AccessDenied", 403)

    with pytest.raises(botocore.exceptions.ClientError):
        denied()
    assert no_retry_sleep.call_count == 2
