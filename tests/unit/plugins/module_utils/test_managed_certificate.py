# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import pathlib

import pytest
import yaml

from ansible_collections.edge.cloudfront.plugins.module_utils import managed_certificate as mc

SELECTION_DEFAULTS = dict(
    identifier=None, domain=None, identifiers=None, distribution_id=None, connection_group_id=None, status=None
)


def selection(**params):
    return dict(SELECTION_DEFAULTS, **params)


@pytest.mark.parametrize(
    "value",
    [
        "dt_2abcDEF3ghij4KLM",
        "shop-example",
        "a",
        "tenant.v2",
        "a..b",
        "x" * 128,
        "arn:aws:cloudfront::123456789012:distribution-tenant/dt_2abcDEF3ghij4KLM",
        "arn:aws-cn:cloudfront::123456789012:distribution-tenant/dt_1",
    ],
)
def test_identifier_accepted(value):
    assert mc.identifier_error("identifier", value) is None


@pytest.mark.parametrize(
    "value, reason",
    [
        ("", "empty value"),
        ("   ", "empty value"),
        (" dt_1", "is not a distribution tenant ARN, ID or name"),
        (".hidden", "does not start with '.'"),
        ("..", "does not start with '.'"),
        ("a/b", "is not a distribution tenant ARN, ID or name"),
        ("a?b", "is not a distribution tenant ARN, ID or name"),
        ("a#b", "is not a distribution tenant ARN, ID or name"),
        ("tenant-ä", "ASCII letters"),
        ("x" * 129, "1 to 128"),
        ("arn:aws:cloudfront::123456789012:distribution/E1ABC", "is not a distribution tenant ARN"),
        ("arn:aws:cloudfront::123456789012:distribution-tenant/../x", "is not a distribution tenant ARN"),
    ],
)
def test_identifier_refused_names_option_and_reason(value, reason):
    message = mc.identifier_error("identifiers[2]", value)
    assert message.startswith("identifiers[2] ")
    assert reason in message


def test_long_values_are_shortened_in_messages():
    message = mc.identifier_error("identifier", "x" * 5000)
    assert len(message) < 400


@pytest.mark.parametrize(
    "value", ["www.example.com", "example.com", "*.example.com", "xn--bcher-kva.example", "a-b.c-d.e", "example.com."]
)
def test_domain_accepted(value):
    assert mc.domain_error("domain", value) is None


@pytest.mark.parametrize(
    "value",
    ["", " ", "www example.com", "http://www.example.com", "www.example.com/path", "-a.example.com", "a..b", "*", "*.",
     "a.*.example.com", "x" * 64 + ".com", ("a" * 60 + ".") * 5 + "com"],
)
def test_domain_refused(value):
    message = mc.domain_error("domain", value)
    assert message and message.startswith("domain ")


def test_valid_selections():
    assert mc.selection_errors(selection(identifier="dt_1")) == []
    assert mc.selection_errors(selection(domain="www.example.com")) == []
    assert mc.selection_errors(selection(identifiers=["dt_1", "dt_2"])) == []
    assert mc.selection_errors(selection()) == []
    assert mc.selection_errors(selection(distribution_id="E1ABC", connection_group_id="cg_1", status=["issued"])) == []


def test_two_selections_are_refused_naming_both():
    errors = mc.selection_errors(selection(identifier="dt_1", domain="www.example.com"))
    assert errors == ["choose tenants one way only: identifier, domain were given together; keep one of them"]


def test_listing_only_options_with_a_selection_are_refused():
    errors = mc.selection_errors(selection(identifier="dt_1", distribution_id="E1", status=["issued"]))
    assert errors == [
        "distribution_id and status only apply when listing tenants; remove distribution_id and status "
        "or remove identifier"
    ]
    errors = mc.selection_errors(selection(domain="www.example.com", connection_group_id="cg_1"))
    assert errors == ["connection_group_id only applies when listing tenants; remove connection_group_id or remove domain"]


def test_listing_only_options_are_those_of_the_caller():
    assert mc.selection_errors(selection(identifier="dt_1", status=["issued"]), listing_only=()) == []


def test_identifiers_entries_are_checked_one_by_one():
    errors = mc.selection_errors(selection(identifiers=["dt_1", "", "a/b"]))
    assert len(errors) == 2
    assert errors[0].startswith("identifiers[1] ")
    assert errors[1].startswith("identifiers[2] ")
    assert mc.selection_errors(selection(identifiers=[])) == [
        "identifiers must list at least one distribution tenant ARN, ID or name"
    ]


@pytest.mark.parametrize("option", ["distribution_id", "connection_group_id"])
@pytest.mark.parametrize("value", ["", "  ", "E1/../x", "E1 E2"])
def test_filters_must_be_ids(option, value):
    errors = mc.selection_errors(selection(**{option: value}))
    assert len(errors) == 1 and errors[0].startswith(option + " ")


@pytest.mark.parametrize("value, ok", [(1, True), (4, True), (32, True), (0, False), (33, False), (-1, False)])
def test_max_concurrency_range(value, ok):
    message = mc.max_concurrency_error(value)
    assert (message is None) == ok
    if not ok:
        assert message == f"max_concurrency must be between 1 and 32, got {value}"


def test_range_without_upper_bound():
    assert mc.range_error("sleep", 0, 1) == "sleep must be at least 1, got 0"
    assert mc.range_error("sleep", 10**9, 1) is None
    assert mc.range_error("sleep", None, 1) is None


@pytest.mark.parametrize("status", mc.TERMINAL_STATUSES)
def test_terminal_statuses_fail_unless_targeted(status):
    assert mc.is_terminal_failure(status, ["issued"])
    assert not mc.is_terminal_failure(status, ["issued", status])


@pytest.mark.parametrize("status", ["pending-validation", "issued"])
def test_live_statuses_are_not_terminal(status):
    assert not mc.is_terminal_failure(status, ["inactive"])


def test_every_status_is_known_and_terminal_is_a_subset():
    assert len(mc.CERTIFICATE_STATUSES) == 7
    assert set(mc.TERMINAL_STATUSES) == set(mc.CERTIFICATE_STATUSES) - {"pending-validation", "issued"}


def test_snake_certificate_details():
    details = mc.snake_certificate_details(
        {
            "CertificateArn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
            "CertificateStatus": "pending-validation",
            "ValidationTokenHost": "self-hosted",
            "ValidationTokenDetails": [{"Domain": "www.example.com", "RedirectTo": "https://v/t.txt", "RedirectFrom": "http://w/t.txt"}],
        }
    )
    assert details == {
        "certificate_arn": "arn:aws:acm:us-east-1:123456789012:certificate/abc",
        "certificate_status": "pending-validation",
        "validation_token_host": "self-hosted",
        "validation_token_details": [{"domain": "www.example.com", "redirect_to": "https://v/t.txt", "redirect_from": "http://w/t.txt"}],
    }


def test_snake_certificate_details_defaults_token_list_and_keeps_empty_empty():
    assert mc.snake_certificate_details({"CertificateStatus": "issued"})["validation_token_details"] == []
    assert mc.snake_certificate_details(None) == {}


def test_listing_entry_keys_follow_the_design():
    tenant = {
        "Id": "dt_1",
        "Name": "tenant-a",
        "Arn": "arn:aws:cloudfront::123456789012:distribution-tenant/dt_1",
        "DistributionId": "E1",
        "ConnectionGroupId": "cg_1",
        "Domains": [{"Domain": "a.example.com", "Status": "active"}, {"Domain": "b.example.com", "Status": "inactive"}],
    }
    details = {"certificate_arn": "c", "certificate_status": "issued", "validation_token_host": "cloudfront", "validation_token_details": []}
    entry = mc.listing_entry(tenant, details)
    assert list(entry) == [
        "distribution_tenant_id",
        "distribution_tenant_name",
        "distribution_tenant_arn",
        "distribution_id",
        "domains",
        "certificate_arn",
        "certificate_status",
        "validation_token_host",
        "validation_token_details",
    ]
    assert entry["domains"] == ["a.example.com", "b.example.com"]


def test_identifier_entry():
    assert mc.identifier_entry("t", {"certificate_status": "issued"}) == {"identifier": "t", "certificate_status": "issued"}


def test_pending_redirects_only_for_pending_self_hosted():
    tokens = [{"domain": "a", "redirect_from": "http://a/t", "redirect_to": "https://v/t"}, {"domain": "b"}]
    pending = {"certificate_status": "pending-validation", "validation_token_host": "self-hosted", "validation_token_details": tokens}
    assert mc.pending_redirects(pending) == ["http://a/t -> https://v/t"]
    assert mc.pending_redirects(dict(pending, certificate_status="issued")) == []
    assert mc.pending_redirects(dict(pending, validation_token_host="cloudfront")) == []
    assert mc.pending_redirects({}) == []


def test_collection_version_matches_galaxy_yml():
    galaxy = yaml.safe_load((pathlib.Path(mc.__file__).parents[2] / "galaxy.yml").read_text())
    assert f"{galaxy['namespace']}.{galaxy['name']}" == mc.COLLECTION_NAME
    assert galaxy["version"] == mc.COLLECTION_VERSION
