# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

import copy
from unittest import mock

import pytest

from ansible.errors import AnsibleActionFail

from ansible_collections.edge.cloudfront.plugins.action import wait_for
from ansible_collections.edge.cloudfront.tests.unit.plugins.module_utils.test_waiting import FakeTime
from ansible_collections.edge.cloudfront.tests.unit.plugins.plugin_utils.test_waiting import cert

STATE = "_wait_state"


class Rounds:
    """A fake _execute_module: each call returns the next scripted round and lets ``seconds`` pass."""

    def __init__(self, clock, rounds):
        self.clock = clock
        self.rounds = list(rounds)
        self.calls = []

    def __call__(self, module_name, module_args, task_vars):
        self.calls.append((module_name, copy.deepcopy(module_args)))
        seconds, answer = self.rounds.pop(0)
        self.clock.now += seconds
        return copy.deepcopy(answer)


def round_answer(reason, *certificates, **extra):
    answer = {
        "changed": False,
        STATE: {"certificates": list(certificates), "pause": {"level": 0, "until": 0}, "reason": reason},
    }
    answer["invocation"] = {
        "module_args": {"identifier": "x", STATE: answer[STATE], "secret_key": "VALUE_SPECIFIED_IN_NO_LOG_PARAMETER"}
    }
    answer.update(extra)
    return answer


@pytest.fixture
def clock():
    fake = FakeTime()
    with mock.patch.object(wait_for, "time", fake):
        yield fake


@pytest.fixture
def display():
    with mock.patch.object(wait_for, "display") as fake:
        yield fake


def make_action(args, check_mode=False):
    task = mock.MagicMock(name="task")
    task.args = args
    task.async_val = 0
    task.check_mode = check_mode
    task.action = "edge.cloudfront.wait_for"
    connection = mock.MagicMock(name="connection")
    connection._shell.tmpdir = "/remote/tmp"
    action = wait_for.ActionModule(
        task, connection, mock.MagicMock(), mock.MagicMock(), mock.MagicMock(), mock.MagicMock()
    )
    action._remove_tmp_path = mock.MagicMock(name="_remove_tmp_path")
    return action


def run(args, rounds, clock, check_mode=False):
    action = make_action(args, check_mode)
    action._execute_module = Rounds(clock, rounds)
    result = action.run(task_vars={})
    action._remove_tmp_path.assert_called_once_with("/remote/tmp")
    return action, result


def printed(display):
    return [c.args[0] for c in display.display.call_args_list]


def test_single_tenant_waits_over_rounds_and_returns_designs_keys(clock, display):
    args = {"identifier": "shop", "sleep": 5, "region": "eu-west-1"}
    rounds = [
        (
            0.5,
            round_answer(
                "changed",
                cert("shop", "pending-validation"),
                ansible_facts={"discovered_interpreter_python": "/usr/bin/python3"},
            ),
        ),
        (60, round_answer("round", cert("shop", "pending-validation", attempts=13))),
        (20, round_answer("done", cert("shop", "pending-validation", "issued", attempts=17))),
    ]
    action, result = run(args, rounds, clock)
    assert not result.get("failed")
    assert result["elapsed"] == 80.5
    assert result["attempts"] == 17
    assert result["changed"] is False
    assert result["managed_certificate_details"]["certificate_status"] == "issued"
    assert [h["status"] for h in result["status_history"]] == ["pending-validation", "issued"]
    assert result["ansible_facts"]["cloudfront_managed_certificate"]["identifier"] == "shop"
    assert result["ansible_facts"]["discovered_interpreter_python"] == "/usr/bin/python3"
    assert STATE not in result
    assert STATE not in result["invocation"]["module_args"]
    assert printed(display) == ["shop: pending-validation after 0s", "shop: issued after 15s"]
    assert display.v.call_count == 3
    # every round gets the task's own arguments (no defaults filled in) plus the state and time budget
    calls = action._execute_module.calls
    assert [call[0] for call in calls] == ["edge.cloudfront.wait_for"] * 3
    assert {k: v for k, v in calls[0][1].items() if k != STATE} == args
    assert calls[0][1][STATE] == {"deadline": 1800, "offset": 0.0}
    assert calls[1][1][STATE]["offset"] == 0.5
    assert calls[1][1][STATE]["deadline"] == 1799.5
    assert calls[1][1][STATE]["certificates"][0]["identifier"] == "shop"
    assert "reason" not in calls[1][1][STATE]


def test_delay_is_slept_first_and_counts_toward_the_timeout(clock, display):
    result = run(
        {"identifier": "shop", "delay": 30, "timeout": 100}, [(1, round_answer("done", cert("shop", "issued")))], clock
    )[1]
    assert clock.sleeps == [30]
    assert result["elapsed"] == 31


def test_delay_is_cut_at_the_timeout(clock, display):
    action, result = run(
        {"identifier": "shop", "delay": 500, "timeout": 20}, [(0.4, round_answer("deadline", cert("shop")))], clock
    )
    assert clock.sleeps == [20]
    assert action._execute_module.calls[0][1][STATE]["deadline"] == 0
    assert result["failed"] is True
    assert result["msg"].startswith("Timed out after 20s waiting for the certificate of shop to be issued")


def test_timeout_fails_with_the_last_state_and_the_message(clock, display):
    rounds = [
        (0.5, round_answer("changed", cert("shop", "pending-validation", host="self-hosted"))),
        (59.6, round_answer("deadline", cert("shop", "pending-validation", host="self-hosted", attempts=7))),
    ]
    result = run({"identifier": "shop", "timeout": 60}, rounds, clock)[1]
    assert result["failed"] is True
    assert result["elapsed"] == 60.1
    assert result["attempts"] == 7
    assert result["managed_certificate_details"]["certificate_status"] == "pending-validation"
    assert result["msg"] == (
        "Timed out after 60s waiting for the certificate of shop to be issued (7 attempts): shop is pending-validation; "
        "serve http://www.example.com/.well-known/pki-validation/abc.txt -> https://validation.example/abc.txt"
    )


def test_msg_overrides_the_timeout_message_and_the_plugin_clock_keeps_the_deadline(clock, display):
    # the module returned for a change, but the plugin's own clock says the time is up
    rounds = [(61, round_answer("changed", cert("shop", "pending-validation")))]
    action, result = run({"identifier": "shop", "timeout": 60, "msg": "not yet, call the on-call"}, rounds, clock)
    assert result["failed"] is True
    assert result["msg"] == "not yet, call the on-call"
    assert len(action._execute_module.calls) == 1


def test_terminal_status_fails_at_once_naming_each_tenant(clock, display):
    rounds = [(3, round_answer("failed", cert("a", "failed"), cert("b", "pending-validation"), cert("c", "revoked")))]
    result = run({"identifiers": ["a", "b", "c"]}, rounds, clock)[1]
    assert result["failed"] is True
    assert result["msg"] == "2 certificates can never become issued: a is failed, c is revoked"
    assert [e["identifier"] for e in result["managed_certificates"]] == ["a", "b", "c"]
    assert printed(display) == ["3 certificates: 1 pending-validation, 1 revoked, 1 failed"]


def test_module_errors_keep_the_keys_of_a_normal_result(clock, display):
    failed = round_answer(
        "error",
        cert("shop"),
        failed=True,
        msg="Access denied calling GetManagedCertificateDetails ...",
        error={"code": "AccessDenied"},
        response_metadata={"http_status_code": 403},
    )
    result = run({"identifier": "shop"}, [(1, failed)], clock)[1]
    assert result["failed"] is True
    assert result["error"] == {"code": "AccessDenied"}
    assert result["response_metadata"] == {"http_status_code": 403}
    assert result["managed_certificate_details"] == {}
    assert result["status_history"] == []
    assert result["attempts"] == 1
    assert STATE not in result


def test_a_module_failure_without_state_is_passed_on(clock, display):
    answer = {"failed": True, "msg": "botocore 1.34.0 does not know ...", "invocation": {"module_args": {STATE: {}}}}
    result = run({"identifier": "shop"}, [(1, answer)], clock)[1]
    assert result["failed"] is True
    assert result["msg"] == "botocore 1.34.0 does not know ..."
    assert result["invocation"] == {"module_args": {}}


def test_check_mode_is_one_round_without_delay_or_failure_on_status(clock, display):
    rounds = [(1, round_answer("observed", cert("shop", "failed")))]
    action, result = run({"identifier": "shop", "delay": 300}, rounds, clock, check_mode=True)
    assert not result.get("failed")
    assert result["managed_certificate_details"]["certificate_status"] == "failed"
    assert clock.sleeps == []
    assert len(action._execute_module.calls) == 1


@pytest.mark.parametrize(
    "args, message",
    [
        ({}, "choose the tenants with identifier"),
        ({"identifier": "a", "timeout": 0, "delay": 100}, "timeout must be at least 1, got 0"),
        ({"identifier": "a", "sleep": 0}, "sleep must be at least 1, got 0"),
        ({"identifier": "a", "max_concurrency": 64}, "max_concurrency must be between 1 and 32, got 64"),
        ({"identifier": "a", "timeout": "soon"}, "timeout"),
        ({"identifier": "a", "status": ["done"]}, "status"),
        ({"identifier": "a", "bogus": 1}, "bogus"),
        ({"identifier": "a", STATE: {}}, STATE),
        ({"identifier": "a/b", "delay": 100}, "identifier 'a/b' is not a distribution tenant ARN, ID or name"),
    ],
)
@pytest.mark.parametrize("check_mode", [False, True])
def test_bad_input_is_refused_before_delay_and_before_any_module_run(clock, display, args, message, check_mode):
    action = make_action(args, check_mode)
    action._execute_module = mock.MagicMock(name="_execute_module")
    with pytest.raises(AnsibleActionFail) as raised:
        action.run(task_vars={})
    assert message in str(raised.value)
    assert not action._execute_module.called
    assert clock.sleeps == []
