# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""End to end: the installed edge.cloudfront.wait_for action in real ansible-playbook runs."""

import pytest

from playbook_runner import SECRET_KEY
from playbook_runner import SESSION_TOKEN
from playbook_runner import peak_in_flight

TARGET = "wait_for"
DETAILS = "GetManagedCertificateDetails"
TERMINAL_STATUSES = ["failed", "validation-timed-out", "revoked", "expired", "inactive"]


def tenant(tenant_id, name, statuses=None, host="cloudfront", domains=None, distribution_id="E1WAIT", timeline=None):
    spec = {"id": tenant_id, "name": name, "distribution_id": distribution_id, "domains": domains or [f"www.{name}.example.com"]}
    if statuses or timeline:
        certificate = {"validation_token_host": host}
        certificate.update({"timeline": timeline} if timeline else {"statuses": statuses})
        spec["certificate"] = certificate
    return spec


PENDING = "pending-validation"
ONE_SCENARIO = {"tenants": [tenant("dt_a", "tenant-a", [PENDING] * 3 + ["issued"], host="self-hosted")]}
DOMAIN_SCENARIO = {
    "tenants": [
        tenant("dt_b", "tenant-b", domains=["www.b.example.com"], timeline=[{"status": PENDING, "until": 2}, {"status": "issued"}])
    ]
}
SEVERAL_SCENARIO = {
    "tenants": [
        tenant("dt_a", "tenant-a", [PENDING] * 3 + ["issued"]),
        tenant("dt_b", "tenant-b", [PENDING, "issued"]),
        tenant("dt_c", "tenant-c", ["issued"]),
    ]
}
FLEET_SCENARIO = {
    "tenants": [tenant("dt_other", "other", [PENDING], distribution_id="E9OTHER")],
    "generate": [
        {"count": 60, "name_prefix": "fleet-", "distribution_id": "E5FLEET", "certificate": {"statuses": [PENDING, PENDING, "issued"]}}
    ],
}
FLEET_TERMINAL_SCENARIO = {
    "tenants": [
        tenant("dt_a", "tenant-a", [PENDING]),
        tenant("dt_b", "tenant-b", [PENDING, "failed"]),
        tenant("dt_c", "tenant-c", [PENDING]),
    ]
}
TERMINAL_SCENARIO = {
    "tenants": [tenant(f"dt_{i}", f"ends-{status}", [PENDING, status]) for i, status in enumerate(TERMINAL_STATUSES)]
}
ERRORS_SCENARIO = {"tenants": [tenant("dt_a", "tenant-a", [PENDING]), tenant("dt_n", "tenant-nocert")]}
TIMEOUT_SCENARIO = {
    "tenants": [
        tenant("dt_a", "tenant-a", [PENDING], host="self-hosted", domains=["www.a.example.com", "a.example.com"]),
        tenant("dt_b", "tenant-b", [PENDING]),
    ]
}


def details_requests(run):
    return [entry for entry in run.requests if entry["operation"] == DETAILS]


def test_one_tenant_until_issued_sets_facts_and_shows_progress(run_case):
    run = run_case(TARGET, "one_tenant", ONE_SCENARIO)
    assert len(details_requests(run)) == 4
    assert "tenant-a: pending-validation" in run.stdout
    assert "tenant-a: issued" in run.stdout


def test_delay_comes_before_the_first_poll(run_case):
    run = run_case(TARGET, "one_tenant", ONE_SCENARIO, extra_vars={"wait_delay": 3})
    # The scenario was loaded before ansible-playbook started, so this is a lower bound on the delay.
    assert details_requests(run)[0]["t"] >= 3


def test_one_tenant_by_domain(run_case):
    run = run_case(TARGET, "one_domain", DOMAIN_SCENARIO)
    assert [entry["operation"] for entry in run.requests].count("GetDistributionTenantByDomain") == 1
    assert "www.b.example.com: issued after" in run.stdout


def test_several_tenants(run_case):
    run = run_case(TARGET, "several", SEVERAL_SCENARIO)
    assert len(details_requests(run)) == 7


def test_fleet_of_a_distribution_with_bounded_concurrency(run_case):
    run = run_case(TARGET, "fleet", FLEET_SCENARIO)
    reads = details_requests(run)
    assert len(reads) == 180
    polled = {entry["path_identifier"] for entry in reads}
    assert len(polled) == 60
    assert "dt_other" not in polled
    assert peak_in_flight(reads) <= 8
    # The first observation of a fleet is one summary line, not sixty.
    assert "60 certificates" in run.stdout


def test_a_terminal_status_in_a_fleet_fails_at_once(run_case):
    run_case(TARGET, "fleet_terminal", FLEET_TERMINAL_SCENARIO)


def test_each_terminal_status_fails_at_once(run_case):
    run_case(TARGET, "terminal_statuses", TERMINAL_SCENARIO)


def test_missing_tenants_and_empty_filters_fail_at_once(run_case):
    run = run_case(TARGET, "not_found", ERRORS_SCENARIO)
    assert len(run.requests) <= 8


def test_access_denied_fails_at_once(run_case):
    scenario = dict(ERRORS_SCENARIO, faults=[{"operation": DETAILS, "kind": "access_denied"}])
    run = run_case(TARGET, "access_denied", scenario)
    assert len(run.requests) == 1


def test_expired_credentials_fail_at_once(run_case):
    scenario = dict(ERRORS_SCENARIO, faults=[{"operation": "*", "kind": "expired_token"}])
    run = run_case(TARGET, "expired_token", scenario)
    assert len(run.requests) == 1


def test_missing_credentials_fail_at_once(run_case):
    run = run_case(TARGET, "missing_credentials", ERRORS_SCENARIO)
    assert run.requests == []


def test_throttling_5xx_resets_and_slow_answers_are_survived(run_case):
    # Faults are tried in order and a request answered by one is not seen by the next, so with these
    # "after" values the polls go: ok, throttled, throttled, ok, 429, ok, 503, ok, 500, ok, reset, ok, slow, ok.
    faults = [
        {"operation": DETAILS, "kind": "throttling", "after": 1, "count": 2},
        {"operation": DETAILS, "kind": "throttling_429", "after": 2, "count": 1},
        {"operation": DETAILS, "kind": "service_unavailable", "after": 3, "count": 1},
        {"operation": DETAILS, "kind": "internal_error", "after": 4, "count": 1},
        {"operation": DETAILS, "kind": "connection_reset", "after": 5, "count": 1},
        {"operation": DETAILS, "kind": "slow", "delay_ms": 1500, "after": 6, "count": 1},
    ]
    scenario = {"tenants": [tenant("dt_a", "tenant-a", [PENDING] * 7 + ["issued"])], "faults": faults}
    run = run_case(TARGET, "transient", scenario)
    assert [entry["fault"] for entry in details_requests(run)] == [
        None,
        "throttling",
        "throttling",
        None,
        "throttling_429",
        None,
        "service_unavailable",
        None,
        "internal_error",
        None,
        "connection_reset",
        None,
        "slow",
        None,
    ]
    assert details_requests(run)[-1]["status"] == 200


def test_timeout_names_what_is_left_to_do(run_case):
    run_case(TARGET, "timeout", TIMEOUT_SCENARIO)


def test_check_mode_polls_once_without_waiting(run_case):
    run = run_case(TARGET, "check_mode", TIMEOUT_SCENARIO)
    assert len(details_requests(run)) == 1


@pytest.mark.parametrize("check", [False, True])
def test_bad_input_never_reaches_the_endpoint(run_case, check):
    run = run_case(TARGET, "bad_input", ERRORS_SCENARIO, check=check)
    assert run.requests == []


def test_no_secret_in_verbose_output(run_case):
    scenario = dict(ONE_SCENARIO, faults=[{"operation": DETAILS, "kind": "throttling", "count": 1}])
    run = run_case(TARGET, "one_tenant", scenario, verbosity=3, extra_vars={"expected_attempts": 5})
    assert "ESTABLISH LOCAL CONNECTION" in run.output
    assert SECRET_KEY not in run.output
    assert SESSION_TOKEN not in run.output
