# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import json
from unittest import mock

import pytest

from ansible_collections.edge.cloudfront.plugins.modules import wait_for
from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import DUMMY_SECRET_KEY
from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import CannedResponder
from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import certificate_response
from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import make_client
from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import tenant_summary
from ansible_collections.edge.cloudfront.tests.unit.plugins.module_utils.test_waiting import FakeTime

STATE = "_wait_state"
SELF_HOSTED_TOKENS = [
    {
        "Domain": "www.example.com",
        "RedirectFrom": "http://www.example.com/.well-known/pki-validation/abc.txt",
        "RedirectTo": "https://validation.example/abc.txt",
    }
]


@pytest.fixture(autouse=True)
def no_aws_environment(monkeypatch, tmp_path):
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_ACCESS_KEY_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))


@pytest.fixture
def clock():
    fake = FakeTime()
    with mock.patch.object(wait_for, "time", fake):
        yield fake


def error(code, status):
    return {"Error": {"Code": code, "Message": f"{code} happened"}, "ResponseMetadata": {"HTTPStatusCode": status}}


def scripted(scripts):
    """An ``answer`` for CannedResponder: each identifier's answers in turn, the last one repeating."""
    scripts = {name: list(answers) for name, answers in scripts.items()}

    def answer(operation, identifier):
        assert operation == "GetManagedCertificateDetails"
        script = scripts[identifier]
        return script.pop(0) if len(script) > 1 else script[0]

    return answer


def state_of(run):
    return run.result[STATE]


def test_one_tenant_first_round_reports_the_first_observation(cloudfront, run_module, clock):
    client, stubber = cloudfront
    stubber.add_response(
        "get_managed_certificate_details",
        certificate_response("pending-validation", "self-hosted", SELF_HOSTED_TOKENS),
        {"Identifier": "shop-example"},
    )
    run = run_module(wait_for.main, {"identifier": "shop-example", STATE: {"deadline": 600, "offset": 2.0}}, client)
    assert not run.failed
    assert sorted(set(run.result) - {"invocation"}) == ["_wait_state", "changed"]
    state = state_of(run)
    assert state["reason"] == "changed"
    [certificate] = state["certificates"]
    assert certificate["identifier"] == "shop-example"
    assert certificate["attempts"] == 1
    assert certificate["history"] == [{"status": "pending-validation", "elapsed": 2.0}]
    assert certificate["details"]["validation_token_details"][0]["redirect_to"] == "https://validation.example/abc.txt"
    assert certificate["due"] == 17.0
    assert clock.sleeps == []


def test_next_round_waits_sleep_seconds_then_returns_done(run_module, clock):
    client = make_client()
    responder = CannedResponder(
        client, scripted({"a": [certificate_response("pending-validation")] * 2 + [certificate_response("issued")]})
    )
    state = {"deadline": 600, "offset": 0.0}
    first = state_of(run_module(wait_for.main, {"identifier": "a", "sleep": 5, STATE: state}, client))
    second = run_module(
        wait_for.main, {"identifier": "a", "sleep": 5, STATE: dict(first, offset=1.0, deadline=599)}, client
    )
    state = state_of(second)
    assert state["reason"] == "done"
    assert state["certificates"][0]["attempts"] == 3
    assert [h["status"] for h in state["certificates"][0]["history"]] == ["pending-validation", "issued"]
    # The second round started 1 s after the first left: due times move by that gap, so the
    # poll interval spanning the two rounds is not shorter than sleep.
    assert state["certificates"][0]["history"][1]["elapsed"] == 11.0
    assert clock.sleeps == [5.0, 5.0]
    assert len(responder.calls) == 3


def test_client_does_not_retry_itself_the_scheduler_does(run_module, clock, no_retry_sleep):
    client = make_client()
    CannedResponder(
        client,
        scripted({"a": [error("Throttling", 400), error("InternalError", 500), certificate_response("issued")]}),
    )
    run = run_module(wait_for.main, {"identifier": "a", STATE: {"deadline": 600}}, client)
    assert state_of(run)["reason"] == "done"
    assert run.connections[0]["config"].retries == {"total_max_attempts": 1, "mode": "standard"}
    assert no_retry_sleep.call_count == 0  # AWSRetry never slept
    assert len(clock.sleeps) == 2  # the fleet pauses: jittered 0.5-1 s, then 1-2 s
    assert 0.5 <= clock.sleeps[0] <= 1.0
    assert 1.0 <= clock.sleeps[1] <= 2.0
    assert state_of(run)["certificates"][0]["attempts"] == 3


def test_timeout_while_throttled_returns_the_state(run_module, clock):
    client = make_client()
    CannedResponder(client, scripted({"a": [error("Throttling", 400)]}))
    run = run_module(wait_for.main, {"identifier": "a", STATE: {"deadline": 30, "offset": 0}}, client)
    assert not run.failed
    state = state_of(run)
    assert state["reason"] == "deadline"
    assert state["certificates"][0]["last_error"] == "Throttling (HTTP 400)"
    assert sum(clock.sleeps) == pytest.approx(30)  # backoffs cut at the deadline
    assert state["pause"]["level"] >= 4


@pytest.mark.parametrize(
    "code, status, message",
    [
        (
            "EntityNotFound",
            404,
            "distribution tenant 'dt_gone' does not exist or has no CloudFront-managed certificate",
        ),
        ("AccessDenied", 403, "grant the IAM action cloudfront:GetManagedCertificateDetails"),
        ("ExpiredToken", 403, "AWS rejected the credentials in use (expired or invalid): refresh them"),
        ("InvalidArgument", 400, "Failed to call GetManagedCertificateDetails for distribution tenant 'dt_gone'"),
    ],
)
def test_errors_retrying_cannot_fix_fail_at_once_with_the_state(run_module, clock, code, status, message):
    client = make_client()
    responder = CannedResponder(client, scripted({"dt_gone": [error(code, status)]}))
    run = run_module(wait_for.main, {"identifier": "dt_gone", STATE: {"deadline": 600}}, client)
    assert run.failed
    assert message in run.result["msg"]
    assert run.result["error"]["code"] == code
    assert run.result["response_metadata"]["http_status_code"] == status
    assert state_of(run)["certificates"][0]["attempts"] == 1
    assert len(responder.calls) == 1
    assert clock.sleeps == []


def test_missing_credentials_say_how_to_give_them(run_module, clock):
    client = make_client()
    client._request_signer._credentials = None  # what botocore has when it found no credentials
    run = run_module(wait_for.main, {"identifier": "a", STATE: {"deadline": 600}}, client)
    assert run.failed
    assert run.result["msg"].startswith("no AWS credentials found where the task runs")


def test_domain_is_resolved_once_to_the_tenant_id(cloudfront, run_module, clock):
    client, stubber = cloudfront
    tenant = tenant_summary("dt_42")
    tenant.pop("ETag")
    stubber.add_client_error("get_distribution_tenant_by_domain", "Throttling", "slow down", 400)
    stubber.add_response(
        "get_distribution_tenant_by_domain", {"DistributionTenant": tenant, "ETag": "E1"}, {"Domain": "www.example.com"}
    )
    stubber.add_response("get_managed_certificate_details", certificate_response("issued"), {"Identifier": "dt_42"})
    run = run_module(wait_for.main, {"domain": "www.example.com", STATE: {"deadline": 600}}, client)
    assert state_of(run)["certificates"][0]["identifier"] == "dt_42"
    assert state_of(run)["reason"] == "done"


def test_unknown_domain_fails_naming_it(cloudfront, run_module, clock):
    client, stubber = cloudfront
    stubber.add_client_error("get_distribution_tenant_by_domain", "EntityNotFound", "none", 404)
    run = run_module(wait_for.main, {"domain": "nowhere.example.com"}, client)
    assert run.failed
    assert run.result["msg"] == "no distribution tenant serves domain 'nowhere.example.com'"


def test_filter_keeps_listed_tenants_with_a_certificate_spread_over_sleep(cloudfront, run_module, clock):
    client, stubber = cloudfront
    listing = [tenant_summary("dt_1"), tenant_summary("dt_2"), tenant_summary("dt_3")]
    stubber.add_response(
        "list_distribution_tenants",
        {"DistributionTenantList": listing},
        {"MaxItems": 100, "AssociationFilter": {"DistributionId": "E1ABCDEFGHIJKL"}},
    )
    stubber.add_response("get_managed_certificate_details", certificate_response("issued"), {"Identifier": "dt_1"})
    stubber.add_client_error("get_managed_certificate_details", "EntityNotFound", "none", 404, {"Identifier": "dt_2"})
    stubber.add_response(
        "get_managed_certificate_details", certificate_response("pending-validation"), {"Identifier": "dt_3"}
    )
    run = run_module(wait_for.main, {"distribution_id": "E1ABCDEFGHIJKL", "sleep": 9, "max_concurrency": 1}, client)
    state = state_of(run)
    assert state["reason"] == "changed"
    assert [c["identifier"] for c in state["certificates"]] == ["dt_1", "dt_3"]
    assert state["certificates"][1]["tenant"]["distribution_tenant_name"] == "tenant-3"
    assert clock.sleeps == [3.0, 3.0]  # first polls spread over one sleep interval
    assert [h["elapsed"] for c in state["certificates"] for h in c["history"]] == [0.0, 6.0]


def test_filter_without_managed_certificates_fails_naming_the_filter(cloudfront, run_module, clock):
    client, stubber = cloudfront
    stubber.add_response("list_distribution_tenants", {"DistributionTenantList": [tenant_summary("dt_1")]})
    stubber.add_client_error("get_managed_certificate_details", "EntityNotFound", "none", 404)
    run = run_module(wait_for.main, {"distribution_id": "E1X", "connection_group_id": "cg_1"}, client)
    assert run.failed
    assert run.result["msg"] == (
        "no distribution tenant with a CloudFront-managed certificate matches distribution_id 'E1X' and connection_group_id 'cg_1'"
    )


def test_check_mode_polls_every_certificate_even_after_a_terminal_status(run_module, clock):
    client = make_client()
    responder = CannedResponder(
        client,
        scripted(
            {
                "a": [certificate_response("pending-validation")],
                "b": [certificate_response("failed")],
                "c": [certificate_response("issued")],
            }
        ),
    )
    run = run_module(
        wait_for.main, {"identifiers": ["a", "b", "c"], "max_concurrency": 2, "_ansible_check_mode": True}, client
    )
    assert not run.failed
    state = state_of(run)
    assert state["reason"] == "observed"  # a terminal status does not cut check mode short
    assert sorted(call[1] for call in responder.calls) == ["a", "b", "c"]
    assert [c["details"]["certificate_status"] for c in state["certificates"]] == [
        "pending-validation",
        "failed",
        "issued",
    ]
    assert clock.sleeps == []


def test_check_mode_reads_all_without_sleeping(run_module, clock):
    client = make_client()
    responder = CannedResponder(
        client, scripted({name: [certificate_response("pending-validation")] for name in "abcdef"})
    )
    run = run_module(wait_for.main, {"identifiers": list("abcdef"), "sleep": 60, "_ansible_check_mode": True}, client)
    assert state_of(run)["reason"] == "observed"
    assert sorted(call[1] for call in responder.calls) == list("abcdef")
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "args, message",
    [
        ({}, "choose the tenants with identifier, domain, identifiers, distribution_id or connection_group_id"),
        ({"identifier": " "}, "identifier must be a distribution tenant ARN, ID or name"),
        ({"identifier": "a", "domain": "www.example.com"}, "choose tenants one way only"),
        ({"identifier": "a", "timeout": 0}, "timeout must be at least 1, got 0"),
        ({"identifier": "a", "sleep": 0}, "sleep must be at least 1, got 0"),
        ({"identifier": "a", "delay": -5}, "delay must be at least 0, got -5"),
        ({"identifier": "a", "max_concurrency": 0}, "max_concurrency must be between 1 and 32, got 0"),
        ({"identifier": "a", "timeout": "soon"}, "timeout"),
        ({"identifier": "a", "status": ["done"]}, "status"),
    ],
)
@pytest.mark.parametrize("check_mode", [False, True])
def test_bad_input_fails_before_any_aws_call(run_module, args, message, check_mode):
    run = run_module(wait_for.main, dict(args, _ansible_check_mode=check_mode))
    assert run.failed
    assert message in run.result["msg"]
    assert run.connections == []


def test_secrets_never_appear_in_results(run_module, clock):
    client = make_client()
    CannedResponder(client, scripted({"a": [error("AccessDenied", 403)]}))
    run = run_module(
        wait_for.main,
        {"identifier": "a", "secret_key": DUMMY_SECRET_KEY, "session_token": "EDGEsessionTOKENdoNOTleak0987"},
        client,
    )
    text = json.dumps(run.result)
    assert DUMMY_SECRET_KEY not in text
    assert "EDGEsessionTOKENdoNOTleak0987" not in text
