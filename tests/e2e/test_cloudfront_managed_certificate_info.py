# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""End to end: the installed cloudfront_managed_certificate_info module in real ansible-playbook runs."""

from playbook_runner import ACCESS_KEY
from playbook_runner import SECRET_KEY
from playbook_runner import SESSION_TOKEN
from playbook_runner import peak_in_flight

TARGET = "cloudfront_managed_certificate_info"
DETAILS = "GetManagedCertificateDetails"


def tenant(tenant_id, name, distribution_id, domains, certificate=None, connection_group_id=None):
    spec = {"id": tenant_id, "name": name, "distribution_id": distribution_id, "domains": domains}
    if certificate:
        spec["certificate"] = certificate
    if connection_group_id:
        spec["connection_group_id"] = connection_group_id
    return spec


PENDING_SELF_HOSTED = {"validation_token_host": "self-hosted", "statuses": ["pending-validation"]}
ISSUED = {"validation_token_host": "cloudfront", "statuses": ["issued"]}
FAILED = {"validation_token_host": "cloudfront", "statuses": ["failed"]}

MODES_SCENARIO = {
    "tenants": [
        tenant("dt_a", "tenant-a", "E1MODES", ["www.a.example.com", "a.example.com"], PENDING_SELF_HOSTED, "cg_modes1"),
        tenant("dt_b", "tenant-b", "E1MODES", ["www.b.example.com"], ISSUED),
        tenant("dt_nocert", "tenant-nocert", "E1MODES", ["www.nocert.example.com"]),
        tenant("dt_c", "tenant-c", "E2OTHER", ["www.c.example.com"], FAILED, "cg_modes1"),
        tenant("dt_d", "tenant.d..v2", "E2OTHER", ["www.d.example.com"], ISSUED, "cg_other"),
    ]
}
PAGES_SCENARIO = {
    "latency_ms": 20,
    "tenants": [tenant("dt_other", "other", "E9ELSEWHERE", ["www.other.example.com"], ISSUED)],
    "generate": [{"count": 250, "name_prefix": "page-", "distribution_id": "E3PAGES", "certificate": ISSUED}],
}


def with_faults(*faults):
    return dict(MODES_SCENARIO, faults=list(faults))


def test_every_mode_and_filter(run_case):
    run = run_case(TARGET, "modes", MODES_SCENARIO)
    api_calls = [entry for entry in run.requests if entry["operation"]]
    # Every request was signed with the play's credentials for CloudFront's signing region,
    # although no region was configured anywhere, and named this collection in its User-Agent.
    assert {entry["access_key_id"] for entry in api_calls} == {ACCESS_KEY}
    assert {(entry["signing_region"], entry["signing_service"]) for entry in api_calls} == {("us-east-1", "cloudfront")}
    assert all("edge.cloudfront/0.1.0" in entry["user_agent"] for entry in api_calls if entry["operation"] == DETAILS)
    # amazon.aws.aws_caller_info received the group's endpoint_url: its STS call reached the emulator.
    assert any(entry["operation"] is None and entry["method"] == "POST" for entry in run.requests)


def test_an_arn_travels_percent_encoded_in_one_path_segment(run_case):
    run = run_case(TARGET, "modes", MODES_SCENARIO)
    arn_reads = [
        entry for entry in run.requests if entry["operation"] == DETAILS and entry["path_identifier"].startswith("arn:")
    ]
    assert [entry["raw_path"] for entry in arn_reads] == [
        "/2020-05-31/managed-certificate/arn%3Aaws%3Acloudfront%3A%3A123456789012%3Adistribution-tenant%2Fdt_c"
    ]
    assert arn_reads[0]["path_identifier"] == "arn:aws:cloudfront::123456789012:distribution-tenant/dt_c"
    dotted = [entry for entry in run.requests if entry["operation"] == DETAILS and ".." in entry["path_identifier"]]
    assert [entry["raw_path"] for entry in dotted] == ["/2020-05-31/managed-certificate/tenant.d..v2"]


def test_listing_walks_every_page_with_bounded_concurrency(run_case):
    run = run_case(TARGET, "listing_pages", PAGES_SCENARIO)
    listings = [entry for entry in run.requests if entry["operation"] == "ListDistributionTenants"]
    assert len(listings) == 3
    assert all("<DistributionId>E3PAGES</DistributionId>" in entry["body"] for entry in listings)
    assert "<Marker>" not in listings[0]["body"] and all("<Marker>" in entry["body"] for entry in listings[1:])
    reads = [entry for entry in run.requests if entry["operation"] == DETAILS]
    assert len(reads) == 250
    assert 1 < peak_in_flight(reads) <= 8


def test_access_denied_fails_naming_the_iam_action(run_case):
    run_case(TARGET, "access_denied", with_faults({"operation": DETAILS, "kind": "access_denied"}))


def test_expired_credentials_fail(run_case):
    run = run_case(TARGET, "expired_token", with_faults({"operation": "*", "kind": "expired_token"}))
    assert run.operations() == [DETAILS]


def test_throttling_5xx_and_resets_are_retried(run_case):
    faults = [
        {"operation": DETAILS, "kind": "throttling", "count": 2},
        {"operation": DETAILS, "kind": "throttling_429", "count": 1},
        {"operation": DETAILS, "kind": "internal_error", "count": 1},
        {"operation": DETAILS, "kind": "service_unavailable", "count": 1},
        {"operation": DETAILS, "kind": "connection_reset", "count": 1},
    ]
    run = run_case(TARGET, "transient", with_faults(*faults))
    assert [entry["fault"] for entry in run.requests] == [
        "throttling",
        "throttling",
        "throttling_429",
        "internal_error",
        "service_unavailable",
        "connection_reset",
        None,
    ]
    assert run.requests[-1]["status"] == 200


def test_bad_input_never_reaches_the_endpoint(run_case):
    run = run_case(TARGET, "bad_input", MODES_SCENARIO)
    assert run.requests == []
    assert "failed=0" in run.stdout


def test_check_mode_of_the_whole_play(run_case):
    run_case(TARGET, "modes", MODES_SCENARIO, check=True)


def test_no_secret_in_verbose_output(run_case):
    for case, scenario in (
        ("transient", with_faults({"operation": DETAILS, "kind": "throttling", "count": 1})),
        ("access_denied", with_faults({"operation": DETAILS, "kind": "access_denied"})),
        ("bad_input", MODES_SCENARIO),
    ):
        run = run_case(TARGET, case, scenario, verbosity=3)
        assert "ESTABLISH LOCAL CONNECTION" in run.output
        assert SECRET_KEY not in run.output
        assert SESSION_TOKEN not in run.output
