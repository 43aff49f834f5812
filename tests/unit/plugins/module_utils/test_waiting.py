# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import threading
import time

import botocore.exceptions
import pytest

from ansible_collections.amazon.aws.plugins.module_utils.exceptions import AnsibleAWSError

from ansible_collections.edge.cloudfront.plugins.module_utils import error_kinds
from ansible_collections.edge.cloudfront.plugins.module_utils import waiting

OPTION_DEFAULTS = {name: spec.get("default") for name, spec in waiting.WAIT_FOR_OPTIONS.items()}


class FakeTime:
    """A monotonic clock that only moves when something sleeps."""

    def __init__(self, start=1000.0):
        self.now = start
        self.sleeps = []
        self._lock = threading.Lock()

    def monotonic(self):
        return self.now

    def sleep(self, seconds):
        assert seconds > 0
        with self._lock:
            self.sleeps.append(seconds)
            self.now += seconds


def client_error(code, status=400, operation="GetManagedCertificateDetails"):
    return botocore.exceptions.ClientError(
        {"Error": {"Code": code, "Message": code}, "ResponseMetadata": {"HTTPStatusCode": status}}, operation
    )


def details(status):
    return {"certificate_arn": "arn:x", "certificate_status": status, "validation_token_host": "cloudfront"}


class ScriptedFetch:
    """Answers each identifier from its script (statuses or exceptions); the last answer repeats."""

    def __init__(self, clock, scripts):
        self.clock = clock
        self.scripts = {name: list(answers) for name, answers in scripts.items()}
        self.calls = []
        self._lock = threading.Lock()

    def __call__(self, identifier):
        with self._lock:
            self.calls.append((identifier, self.clock.now))
            script = self.scripts[identifier]
            answer = script.pop(0) if len(script) > 1 else script[0]
        if isinstance(answer, Exception):
            raise answer
        return details(answer)

    def times(self, identifier):
        return [when - 1000.0 for name, when in self.calls if name == identifier]


def scheduler(clock, fetch, deadline=1800, sleep=15, max_concurrency=4, **state):
    state = dict(state, deadline=deadline)
    return waiting.PollScheduler(
        fetch, state, sleep, max_concurrency, clock=clock.monotonic, sleeper=clock.sleep, rng=lambda: 0.0
    )


def certificates(*names, due=0.0, tenant=None):
    return [waiting.new_certificate(name, due, tenant) for name in names]


def until(statuses=("issued",), check_mode=False):
    def rule(certs):
        before = sum(len(c["history"]) for c in certs)
        return lambda: waiting.round_stop_reason(certs, list(statuses), check_mode, before)

    return rule


@pytest.mark.parametrize(
    "params, message",
    [
        ({}, "choose the tenants with identifier, domain, identifiers, distribution_id or connection_group_id"),
        ({"identifier": "a", "timeout": 0}, "timeout must be at least 1, got 0"),
        ({"identifier": "a", "delay": -1}, "delay must be at least 0, got -1"),
        ({"identifier": "a", "sleep": 0}, "sleep must be at least 1, got 0"),
        ({"identifier": "a", "max_concurrency": 33}, "max_concurrency must be between 1 and 32, got 33"),
        ({"identifier": "a", "status": []}, "status must list at least one certificate status"),
        ({"identifier": "a", "distribution_id": "E1"}, "distribution_id only applies when listing tenants"),
    ],
)
def test_option_errors_name_the_option(params, message):
    assert any(message in error for error in waiting.option_errors(dict(OPTION_DEFAULTS, **params)))


@pytest.mark.parametrize(
    "params",
    [{"identifier": "a", "status": ["issued", "failed"]}, {"distribution_id": "E1", "connection_group_id": "cg_1"}],
)
def test_option_errors_accept_valid_options(params):
    assert waiting.option_errors(dict(OPTION_DEFAULTS, **params)) == []


def test_first_polls_are_spread_over_one_sleep_interval():
    assert waiting.spread(4, 10.0, 8) == [10.0, 12.0, 14.0, 16.0]


def test_one_certificate_is_polled_every_sleep_seconds_until_done():
    clock = FakeTime()
    fetch = ScriptedFetch(clock, {"a": ["pending-validation", "pending-validation", "issued"]})
    certs = certificates("a")
    poller = scheduler(clock, fetch)
    history_rule = until()
    assert poller.run(certs, history_rule(certs)) == "changed"  # the first observation is news
    assert poller.run(certs, history_rule(certs)) == "done"
    assert fetch.times("a") == [0, 15, 30]
    assert certs[0]["attempts"] == 3
    assert certs[0]["history"] == [
        {"status": "pending-validation", "elapsed": 0.0},
        {"status": "issued", "elapsed": 30.0},
    ]
    assert certs[0]["due"] == 45.0


def test_a_certificate_in_a_target_status_is_not_polled_again():
    clock = FakeTime()
    fetch = ScriptedFetch(clock, {"a": ["issued"], "b": ["pending-validation"] * 3 + ["issued"]})
    certs = certificates("a", "b")
    poller = waiting.PollScheduler(
        fetch, {"deadline": 1800}, 15, 4, target_statuses=["issued"], clock=clock.monotonic, sleeper=clock.sleep
    )
    rule = until()
    while poller.run(certs, rule(certs)) != "done":
        pass
    assert fetch.times("a") == [0]
    assert fetch.times("b") == [0, 15, 30, 45]


def test_spread_fleet_keeps_its_phases_and_the_request_rate():
    clock = FakeTime()
    names = [f"t{i}" for i in range(6)]
    fetch = ScriptedFetch(clock, {name: ["pending-validation"] for name in names})
    certs = [waiting.new_certificate(name, due) for name, due in zip(names, waiting.spread(6, 0.0, 12))]
    assert scheduler(clock, fetch, sleep=12, round_limit=60).run(certs, lambda: None) == "round"
    assert fetch.times("t0") == [0, 12, 24, 36, 48]
    assert fetch.times("t3") == [6, 18, 30, 42, 54]
    # at most len(fleet) requests per sleep interval, in any window
    starts = sorted(call[1] for call in fetch.calls)
    assert all(later - earlier >= 12 for earlier, later in zip(starts, starts[6:]))


def test_round_ends_at_the_round_limit_and_the_state_resumes():
    clock = FakeTime()
    fetch = ScriptedFetch(clock, {"a": ["pending-validation"]})
    certs = certificates("a")
    certs[0].update(details=details("pending-validation"), history=[{"status": "pending-validation", "elapsed": 0.0}])
    assert scheduler(clock, fetch, round_limit=40).run(certs, until()(certs)) == "round"
    assert fetch.times("a") == [0, 15, 30]
    assert clock.now - 1000.0 == 40
    # the next round starts where the task is (offset) and keeps the certificate's due time
    # (0.5 s passed between the rounds: task second 45 is 4.5 s into the second round)
    assert scheduler(clock, fetch, offset=40.5, round_limit=10).run(certs, until()(certs)) == "round"
    assert fetch.times("a") == [0, 15, 30, 44.5]
    assert certs[0]["due"] == 60.0


def test_at_most_max_concurrency_requests_in_flight():
    clock = FakeTime()
    lock = threading.Lock()
    in_flight = [0, 0]

    def fetch(identifier):
        with lock:
            in_flight[0] += 1
            in_flight[1] = max(in_flight[1], in_flight[0])
        time.sleep(0.005)
        with lock:
            in_flight[0] -= 1
        return details("issued")

    certs = certificates(*[f"t{i}" for i in range(9)])
    assert scheduler(clock, fetch, max_concurrency=3).run(certs, until()(certs)) == "done"
    assert in_flight[1] == 3
    assert clock.sleeps == []


def test_a_throttled_answer_pauses_the_whole_fleet():
    clock = FakeTime()
    fetch = ScriptedFetch(clock, {"a": [client_error("Throttling"), "issued"], "b": ["issued"]})
    certs = [waiting.new_certificate("a", 0.0), waiting.new_certificate("b", 0.2)]
    poller = scheduler(clock, fetch)
    assert poller.run(certs, until()(certs)) == "done"
    # rng 0: the first pause is half of BACKOFF_BASE; b was due at 0.2 but waits for it too
    assert fetch.times("b") == [0.5]
    assert fetch.times("a") == [0, 0.5]
    assert certs[0]["attempts"] == 2
    assert poller.level == 0  # lowered again by the successes


def test_throttled_answers_to_requests_already_in_flight_raise_the_backoff_once():
    clock = FakeTime()
    poller = scheduler(clock, None)
    poller.transient(started=0.0)
    poller.transient(started=0.0)
    assert poller.level == 1
    clock.now += 1
    poller.transient(started=1.0)
    assert poller.level == 2
    assert poller.pause_until == 1.0 + 1.0  # span 2 s, rng 0: half of it


def test_backoff_grows_is_capped_and_is_cut_at_the_deadline():
    clock = FakeTime()
    fetch = ScriptedFetch(clock, {"a": [client_error("ServiceUnavailable", 503)]})
    certs = certificates("a")
    assert scheduler(clock, fetch, deadline=100, round_limit=1000).run(certs, until()(certs)) == "deadline"
    gaps = [later - earlier for earlier, later in zip(fetch.times("a"), fetch.times("a")[1:])]
    assert gaps[:4] == [0.5, 1.0, 2.0, 4.0]
    assert max(gaps) == waiting.BACKOFF_MAX / 2
    assert clock.now - 1000.0 == 100  # never slept past the deadline
    assert certs[0]["last_error"] == "ServiceUnavailable (HTTP 503)"
    assert certs[0]["history"] == []


def test_a_request_in_flight_at_the_deadline_is_waited_for():
    clock = FakeTime()

    def slow_fetch(identifier):
        clock.now += 7  # the request itself outlives the deadline
        return details("pending-validation")

    certs = certificates("a", due=14.0)
    certs[0]["history"] = [{"status": "pending-validation", "elapsed": 0.0}]
    certs[0]["details"] = details("pending-validation")
    assert scheduler(clock, slow_fetch, deadline=20).run(certs, until()(certs)) == "deadline"
    assert clock.now - 1000.0 == 21
    assert certs[0]["attempts"] == 1


def test_a_terminal_status_ends_the_round_even_before_the_fleet_was_seen():
    clock = FakeTime()
    fetch = ScriptedFetch(clock, {"a": ["failed"], "b": ["pending-validation"]})
    certs = [waiting.new_certificate("a", 0.0), waiting.new_certificate("b", 5.0)]
    assert scheduler(clock, fetch).run(certs, until()(certs)) == "failed"
    assert fetch.times("b") == []


def test_the_fleet_returns_once_every_certificate_was_seen():
    clock = FakeTime()
    fetch = ScriptedFetch(clock, {"a": ["pending-validation"], "b": ["pending-validation"]})
    certs = [waiting.new_certificate("a", 0.0), waiting.new_certificate("b", 7.5)]
    assert scheduler(clock, fetch).run(certs, until()(certs)) == "changed"
    assert clock.now - 1000.0 == 7.5


def test_target_status_other_than_issued_and_check_mode():
    clock = FakeTime()
    fetch = ScriptedFetch(clock, {"a": ["pending-validation"], "b": ["issued"]})
    certs = certificates("a", "b")
    assert scheduler(clock, fetch).run(certs, until(("pending-validation", "issued"))(certs)) == "done"
    certs = [waiting.new_certificate("a", 0.0), waiting.new_certificate("b", 0.0)]
    assert scheduler(clock, fetch).run(certs, until(check_mode=True)(certs)) == "observed"
    assert clock.sleeps == []


def test_a_non_retryable_error_raises_after_the_requests_in_flight():
    clock = FakeTime()
    denied = AnsibleAWSError(message="Access denied", exception=client_error("AccessDenied", 403))
    fetch = ScriptedFetch(clock, {"a": [denied], "b": ["issued"]})
    certs = certificates("a", "b")
    with pytest.raises(waiting.FleetError) as raised:
        scheduler(clock, fetch, max_concurrency=2).run(certs, until()(certs))
    assert raised.value.kind == error_kinds.ACCESS_DENIED
    assert raised.value.identifier == "a"
    assert raised.value.exception is denied
    assert certs[1]["details"]["certificate_status"] == "issued"


def test_listed_tenants_without_certificate_leave_the_wait_but_named_ones_fail():
    clock = FakeTime()
    missing = client_error("EntityNotFound", 404)
    fetch = ScriptedFetch(clock, {"dt_1": [missing], "dt_2": ["issued"]})
    certs = certificates("dt_1", "dt_2", tenant={"distribution_id": "E1"})
    assert scheduler(clock, fetch).run(certs, until()(certs)) == "done"
    assert certs[0]["gone"] is True
    certs = certificates("dt_1", tenant={"distribution_id": "E1"})
    assert scheduler(clock, fetch).run(certs, until()(certs)) == "empty"
    certs = certificates("dt_1")
    with pytest.raises(waiting.FleetError) as raised:
        scheduler(clock, fetch).run(certs, until()(certs))
    assert raised.value.kind == error_kinds.NOT_FOUND


def raising(exception):
    def function():
        raise exception

    return function


def test_call_retries_transient_errors_until_the_deadline():
    clock = FakeTime()
    answers = [client_error("Throttling"), botocore.exceptions.EndpointConnectionError(endpoint_url="x"), "dt_1"]

    def lookup():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    poller = scheduler(clock, None)
    assert poller.call(lookup) == "dt_1"
    assert clock.sleeps == [0.5, 1.0]
    with pytest.raises(waiting.WaitTimeout):
        scheduler(clock, None, deadline=3).call(raising(client_error("Throttling")))
    with pytest.raises(botocore.exceptions.ClientError):
        scheduler(clock, None).call(raising(client_error("AccessDenied", 403)))


def test_failure_messages():
    assert waiting.failure_message(error_kinds.NOT_FOUND, "dt_9", "x") == (
        "distribution tenant 'dt_9' does not exist or has no CloudFront-managed certificate"
    )
    assert "refresh them" in waiting.failure_message(error_kinds.REJECTED_CREDENTIALS, "a", "x")
    assert "access_key" in waiting.failure_message(error_kinds.MISSING_CREDENTIALS, "a", "x")
    assert waiting.failure_message(error_kinds.ACCESS_DENIED, "a", "Access denied ...") == "Access denied ..."
    assert waiting.filter_description({"distribution_id": "E1", "connection_group_id": "cg_1"}) == (
        "distribution_id 'E1' and connection_group_id 'cg_1'"
    )


def test_progress_window_is_immediate_for_one_certificate_and_short_for_a_fleet():
    assert waiting.progress_window(1, 15) == 0.0
    assert waiting.progress_window(60, 15) == waiting.FLEET_PROGRESS_WINDOW
    assert waiting.progress_window(60, 2) == 2.0
    assert waiting.progress_window(60, 15, first_observation=True) == 0.0


def test_a_fleet_round_reports_changes_after_the_window():
    clock = FakeTime()
    fetch = ScriptedFetch(clock, {"a": ["pending-validation", "issued"], "b": ["pending-validation"] * 3 + ["issued"]})
    certs = [waiting.new_certificate("a", 0.0), waiting.new_certificate("b", 1.0)]
    poller = scheduler(clock, fetch, sleep=2)
    rule = until()
    assert poller.run(certs, rule(certs)) == "changed"  # the first observation, at once
    assert clock.now - 1000.0 == 1.0
    # a is issued at 2.0; the round goes on for the 3 s window (b polled at 3.0), then ends at 5.0.
    assert poller.run(certs, rule(certs), change_window=3.0) == "changed"
    assert clock.now - 1000.0 == 5.0
    assert fetch.times("b") == [1.0, 3.0]
    assert [h["status"] for h in certs[0]["history"]] == ["pending-validation", "issued"]


def test_without_a_window_a_change_ends_the_round_at_once():
    clock = FakeTime()
    fetch = ScriptedFetch(clock, {"a": ["pending-validation", "issued"], "b": ["pending-validation"]})
    certs = [waiting.new_certificate("a", 0.0), waiting.new_certificate("b", 1.0)]
    poller = scheduler(clock, fetch, sleep=2)
    rule = until()
    poller.run(certs, rule(certs))
    assert poller.run(certs, rule(certs)) == "changed"
    assert clock.now - 1000.0 == 2.0


def test_done_ends_the_round_during_the_window():
    clock = FakeTime()
    fetch = ScriptedFetch(clock, {"a": ["pending-validation", "issued"], "b": ["pending-validation", "issued"]})
    certs = [waiting.new_certificate("a", 0.0), waiting.new_certificate("b", 1.0)]
    poller = scheduler(clock, fetch, sleep=2)
    rule = until()
    poller.run(certs, rule(certs))
    assert poller.run(certs, rule(certs), change_window=5.0) == "done"
    assert clock.now - 1000.0 == 3.0
