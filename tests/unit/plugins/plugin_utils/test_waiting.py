# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import WAIT_FOR_OPTIONS
from ansible_collections.edge.cloudfront.plugins.plugin_utils import waiting

REDIRECT = {
    "domain": "www.example.com",
    "redirect_from": "http://www.example.com/.well-known/pki-validation/abc.txt",
    "redirect_to": "https://validation.example/abc.txt",
}


def cert(identifier, *statuses, host="cloudfront", attempts=1, tenant=None, **extra):
    history = [{"status": status, "elapsed": float(index * 15)} for index, status in enumerate(statuses)]
    certificate = {"identifier": identifier, "attempts": attempts, "history": history, "due": 0.0}
    if statuses:
        certificate["details"] = {
            "certificate_arn": f"arn:{identifier}",
            "certificate_status": statuses[-1],
            "validation_token_host": host,
            "validation_token_details": [REDIRECT] if host == "self-hosted" else [],
        }
    if tenant:
        certificate["tenant"] = tenant
    certificate.update(extra)
    return certificate


def test_controller_spec_is_the_module_options_plus_aws_without_env_fallbacks():
    spec = waiting.controller_argument_spec()
    assert {name: spec[name] for name in WAIT_FOR_OPTIONS} == WAIT_FOR_OPTIONS
    assert {"region", "access_key", "secret_key", "session_token", "profile", "endpoint_url", "aws_config"} <= set(spec)
    assert spec["secret_key"]["no_log"] is True
    assert not any("fallback" in option for option in spec.values())
    assert "_wait_state" not in spec


def test_single_result_has_details_history_and_facts():
    state = {"certificates": [cert("shop", "pending-validation", "issued", attempts=7)]}
    result = waiting.wait_result(state, {"identifier": "shop"}, 31.26)
    assert result["changed"] is False
    assert result["elapsed"] == 31.3
    assert result["attempts"] == 7
    assert result["managed_certificate_details"]["certificate_status"] == "issued"
    assert result["status_history"] == [
        {"status": "pending-validation", "elapsed": 0.0},
        {"status": "issued", "elapsed": 15.0},
    ]
    assert result["ansible_facts"]["cloudfront_managed_certificate"] == dict(
        result["managed_certificate_details"], identifier="shop"
    )
    assert "managed_certificates" not in result


def test_single_result_before_anything_was_read_keeps_the_keys():
    result = waiting.wait_result(None, {"domain": "www.example.com"}, 3)
    assert result["managed_certificate_details"] == {}
    assert result["status_history"] == []
    assert result["attempts"] == 0


def test_several_results_keep_order_and_info_module_shape():
    tenant = {"distribution_tenant_id": "dt_1", "distribution_tenant_name": "t1", "domains": ["a.example.com"]}
    state = {
        "certificates": [cert("dt_1", "issued", tenant=tenant, attempts=2), cert("dt_2", attempts=3, tenant=tenant)]
    }
    result = waiting.wait_result(state, {"distribution_id": "E1"}, 1)
    entries = result["managed_certificates"]
    assert list(entries[0]) == [
        "distribution_tenant_id",
        "distribution_tenant_name",
        "domains",
        "certificate_arn",
        "certificate_status",
        "validation_token_host",
        "validation_token_details",
        "identifier",
        "status_history",
    ]
    assert entries[1]["status_history"] == []
    assert result["attempts"] == 5
    assert result["ansible_facts"]["cloudfront_managed_certificates"] == entries
    plain = waiting.wait_result({"certificates": [cert("b", "issued")]}, {"identifiers": ["b"]}, 1)[
        "managed_certificates"
    ]
    assert list(plain[0])[:2] == ["certificate_arn", "certificate_status"] and plain[0]["identifier"] == "b"


def test_progress_single_prints_each_new_status():
    before = {"certificates": [cert("shop", "pending-validation")]}
    after = {"certificates": [cert("shop", "pending-validation", "issued")]}
    assert waiting.progress_lines(None, before, True) == ["shop: pending-validation after 0s"]
    assert waiting.progress_lines(before, after, True) == ["shop: issued after 15s"]
    assert waiting.progress_lines(after, after, True) == []


def test_progress_fleet_first_observation_is_one_summary_line_then_changes():
    first = {
        "certificates": [cert(f"t{i}", "pending-validation") for i in range(58)]
        + [cert("x", "issued"), cert("y", "issued")]
    }
    assert waiting.progress_lines(None, first, False) == ["60 certificates: 58 pending-validation, 2 issued"]
    later = {"certificates": [dict(c) for c in first["certificates"]]}
    later["certificates"][3] = cert("t3", "pending-validation", "failed")
    assert waiting.progress_lines(first, later, False) == ["t3: failed after 15s"]


def test_progress_fleet_summary_counts_unread_and_keeps_changes_of_the_same_round():
    state = {"certificates": [cert("a", "pending-validation", "issued"), cert("b")]}
    assert waiting.progress_lines({"certificates": [cert("a"), cert("b")]}, state, False) == [
        "2 certificates: 1 issued, 1 not read yet",
        "a: issued after 15s",
    ]


def test_round_line():
    previous = {"certificates": [cert("a", "pending-validation", attempts=2)]}
    state = {"certificates": [cert("a", "pending-validation", attempts=6)], "reason": "round"}
    assert waiting.round_line(3, previous, state, 60.04) == (
        "wait_for round 3: 4 requests in 60.0s, ended by round; 1 pending-validation"
    )


def test_terminal_failure_messages_name_each_tenant_and_status():
    one = {"certificates": [cert("shop", "pending-validation", "validation-timed-out")]}
    assert waiting.failure_message(one, ["issued"]) == (
        "The certificate of shop is validation-timed-out: it can never become issued"
    )
    several = {"certificates": [cert("a", "failed"), cert("b", "issued"), cert("c", "revoked")]}
    assert (
        waiting.failure_message(several, ["issued"])
        == "2 certificates can never become issued: a is failed, c is revoked"
    )


def test_timeout_message_names_what_is_not_done_and_redirects_to_serve():
    state = {
        "certificates": [
            cert("a", "issued", attempts=10),
            cert("b", "pending-validation", host="self-hosted", attempts=10),
            cert("c", attempts=3, last_error="Throttling (HTTP 400)"),
        ]
    }
    assert waiting.timeout_message(state, ["issued"], 600.4) == (
        "Timed out after 600s waiting for 3 certificates to be issued (23 attempts); 2 not done: "
        "b is pending-validation; serve http://www.example.com/.well-known/pki-validation/abc.txt -> "
        "https://validation.example/abc.txt; c was not read yet (last error: Throttling (HTTP 400))"
    )
    single = {"certificates": [cert("shop", "pending-validation", attempts=40)]}
    assert waiting.timeout_message(single, ["issued", "failed"], 600) == (
        "Timed out after 600s waiting for the certificate of shop to be issued or failed (40 attempts): "
        "shop is pending-validation"
    )
    assert waiting.timeout_message(None, ["issued"], 5) == (
        "Timed out after 5s before the tenants to wait for were found (0 attempts)"
    )


def test_a_tenant_chosen_by_domain_is_named_by_its_domain():
    certificate = {
        "identifier": "dt_1",
        "label": "www.example.com",
        "attempts": 2,
        "details": {"certificate_status": "issued"},
        "history": [{"status": "pending-validation", "elapsed": 0.4}, {"status": "issued", "elapsed": 15.2}],
    }
    state = {"certificates": [certificate]}
    assert waiting.progress_lines(None, state, True) == [
        "www.example.com: pending-validation after 0s",
        "www.example.com: issued after 15s",
    ]
    result = waiting.wait_result(state, {"domain": "www.example.com"}, 16.0)
    assert result["ansible_facts"]["cloudfront_managed_certificate"]["identifier"] == "dt_1"
