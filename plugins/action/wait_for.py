# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin of edge.cloudfront.wait_for: runs the module of the same name in rounds on the task's host.

The module polls for up to a minute per round with one client; between rounds this plugin
prints progress, keeps the overall deadline on its own monotonic clock and hands the state
back (see module_utils/waiting.py for the protocol).
"""

import time

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import INTERNAL_OPTION
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import option_errors
from ansible_collections.edge.cloudfront.plugins.plugin_utils.waiting import controller_argument_spec
from ansible_collections.edge.cloudfront.plugins.plugin_utils.waiting import failure_message
from ansible_collections.edge.cloudfront.plugins.plugin_utils.waiting import is_single
from ansible_collections.edge.cloudfront.plugins.plugin_utils.waiting import progress_lines
from ansible_collections.edge.cloudfront.plugins.plugin_utils.waiting import round_line
from ansible_collections.edge.cloudfront.plugins.plugin_utils.waiting import timeout_message
from ansible_collections.edge.cloudfront.plugins.plugin_utils.waiting import wait_result

display = Display()

MODULE = "edge.cloudfront.wait_for"
# What a failed module round adds to the task result (amazon.aws's fail_json_aws keys).
ERROR_KEYS = ("msg", "error", "response_metadata", "boto3_version", "botocore_version", "exception")


class ActionModule(ActionBase):
    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        try:
            result.update(self._wait(task_vars))
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _wait(self, task_vars):
        started = time.monotonic()
        params = self.validate_argument_spec(argument_spec=controller_argument_spec())[1]
        errors = option_errors(params)
        if errors:
            raise AnsibleActionFail("; ".join(errors))
        check_mode = bool(self._task.check_mode)
        timeout = params["timeout"]
        if params["delay"] and not check_mode:
            time.sleep(min(params["delay"], timeout))

        state = None
        extra = {"ansible_facts": {}, "warnings": [], "deprecations": []}
        round_number = 0
        while True:
            round_started = time.monotonic()
            elapsed = round_started - started
            internal = {key: value for key, value in (state or {}).items() if key != "reason"}
            internal.update(deadline=max(0.0, timeout - elapsed), offset=round(elapsed, 3))
            # The task's own arguments as given (module_defaults included), never the defaults filled in here.
            module_args = dict(self._task.args, **{INTERNAL_OPTION: internal})
            answer = self._execute_module(module_name=MODULE, module_args=module_args, task_vars=task_vars)
            round_number += 1
            self._collect(extra, answer)
            if INTERNAL_OPTION not in answer:
                # The module failed before it could poll (too old an SDK, a crash): pass that on as is.
                return self._cleaned(answer, extra)
            previous, state = state, answer[INTERNAL_OPTION]
            for line in progress_lines(previous, state, is_single(params)):
                display.display(line)
            display.v(round_line(round_number, previous, state, time.monotonic() - round_started))

            elapsed = time.monotonic() - started
            result = wait_result(state, params, elapsed)
            if "invocation" in answer:
                result["invocation"] = answer["invocation"]
            result = self._cleaned(result, extra)
            if answer.get("failed"):
                result.update({key: answer[key] for key in ERROR_KEYS if key in answer}, failed=True)
                return result
            if check_mode:
                return result
            # The module already decided: "done" and "failed" end the wait, anything else is a round to follow.
            if state.get("reason") == "done":
                return result
            if state.get("reason") == "failed":
                result.update(failed=True, msg=failure_message(state, params["status"]))
                return result
            if state.get("reason") == "deadline" or elapsed >= timeout:
                result.update(failed=True, msg=params["msg"] or timeout_message(state, params["status"], elapsed))
                return result

    @staticmethod
    def _collect(extra, answer):
        extra["ansible_facts"].update(answer.get("ansible_facts") or {})
        for key in ("warnings", "deprecations"):
            extra[key].extend(item for item in answer.get(key) or [] if item not in extra[key])

    @staticmethod
    def _invocation(answer):
        """The module's invocation without the internal state."""
        invocation = dict(answer.get("invocation") or {})
        if "module_args" in invocation:
            invocation["module_args"] = {k: v for k, v in invocation["module_args"].items() if k != INTERNAL_OPTION}
        return invocation

    def _cleaned(self, result, extra):
        result = {key: value for key, value in result.items() if key != INTERNAL_OPTION}
        if "invocation" in result:
            result["invocation"] = self._invocation(result)
        if extra["ansible_facts"] or "ansible_facts" in result:
            result["ansible_facts"] = dict(extra["ansible_facts"], **result.get("ansible_facts", {}))
        for key in ("warnings", "deprecations"):
            if extra[key]:
                result[key] = extra[key]
        return result
