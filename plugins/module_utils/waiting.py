# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The polling side of edge.cloudfront.wait_for: its options and poll scheduler.

Nothing here imports botocore, so the action plugin validates on the controller with the
same option spec and rules as the module.

Every time below is in "task seconds": seconds since the wait_for task started, the unit of
``status_history[].elapsed``. The action plugin passes the task seconds at the start of a
module round (``offset``) and the seconds left (``deadline``); the module keeps its own
monotonic clock from there, so the state travels between rounds without clock conversions.
"""

import heapq
import random
import time
from concurrent.futures import FIRST_COMPLETED
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import wait

from ansible_collections.edge.cloudfront.plugins.module_utils.error_kinds import MISSING_CREDENTIALS
from ansible_collections.edge.cloudfront.plugins.module_utils.error_kinds import NOT_FOUND
from ansible_collections.edge.cloudfront.plugins.module_utils.error_kinds import REJECTED_CREDENTIALS
from ansible_collections.edge.cloudfront.plugins.module_utils.error_kinds import TRANSIENT
from ansible_collections.edge.cloudfront.plugins.module_utils.error_kinds import classify_error
from ansible_collections.edge.cloudfront.plugins.module_utils.error_kinds import error_summary
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import CERTIFICATE_STATUSES
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import LISTING_FILTER_OPTIONS
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import SELECTION_ARGUMENT_SPEC
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import is_terminal_failure
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import max_concurrency_error
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import range_error
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import selection_errors

# The one definition of wait_for's own options: the module's argument_spec and the action
# plugin's validation are both built from it (the AWS connection options come from amazon.aws).
WAIT_FOR_OPTIONS = dict(
    SELECTION_ARGUMENT_SPEC,
    status=dict(type="list", elements="str", choices=list(CERTIFICATE_STATUSES), default=["issued"]),
    timeout=dict(type="int", default=1800),
    delay=dict(type="int", default=0),
    sleep=dict(type="int", default=15),
    msg=dict(type="str"),
)
# Set by the action plugin only: the state handed from one module round to the next.
INTERNAL_OPTION = "_wait_state"

# A module round returns to the plugin at least this often, so progress shows and the
# plugin keeps the overall deadline. The state's ``round_limit`` overrides it (tests).
ROUND_LIMIT = 60.0
# With several certificates, a status change ends the round this many seconds (at most ``sleep``)
# after it was seen, so changes close together share one round: each round costs a module start
# (about 0.45 s of CPU), which a fleet whose certificates are issued one by one would pay per change.
FLEET_PROGRESS_WINDOW = 5.0
# Fleet-wide pause after a throttled or failed request: jittered, doubling, capped.
BACKOFF_BASE = 1.0
BACKOFF_MAX = 32.0
# Times closer than this are equal: a sleep shorter than a float's resolution would never arrive.
_EPSILON = 1e-6


def option_errors(params):
    """Every problem with wait_for's options, as messages naming the option; empty when all are valid."""
    errors = selection_errors(params, listing_only=(), require_one=True)
    if params.get("status") is not None and not params["status"]:
        errors.append("status must list at least one certificate status")
    errors += [
        range_error("timeout", params.get("timeout"), 1),
        range_error("delay", params.get("delay"), 0),
        range_error("sleep", params.get("sleep"), 1),
        max_concurrency_error(params.get("max_concurrency")),
    ]
    return [error for error in errors if error]


def new_certificate(identifier, due, tenant=None, label=None):
    """A certificate's state; ``label`` names it in messages when ``identifier`` is not what the user gave."""
    certificate = {"identifier": identifier, "attempts": 0, "history": [], "due": due}
    if tenant is not None:
        certificate["tenant"] = tenant
    if label is not None:
        certificate["label"] = label
    return certificate


def spread(count, start, interval):
    """First-poll times of ``count`` certificates, evenly over one ``interval`` from ``start``."""
    return [round(start + index * interval / count, 3) for index in range(count)]


def round_stop_reason(certificates, target_statuses, check_mode, history_before):
    """Why a module round ends now, or None to keep polling (one pass: it runs after every answer).

    ``"empty"`` when every listed tenant turned out to have no managed certificate;
    in check mode ``"observed"`` once every certificate was seen; ``"failed"`` as soon as one
    certificate can never reach a target status; otherwise nothing ends a round before every
    certificate was seen once (so the plugin can summarise a fleet's first observation in one
    line); then ``"done"`` when all are in
    a target status, ``"changed"`` when a status was recorded since the round began
    (``history_before`` is the number of ``status_history`` entries then).
    """
    live = seen = settled = history = 0
    for certificate in certificates:
        if certificate.get("gone"):
            continue
        live += 1
        history += len(certificate["history"])
        status = (certificate.get("details") or {}).get("certificate_status")
        if status is None:
            continue
        seen += 1
        if status in target_statuses:
            settled += 1
        elif not check_mode and is_terminal_failure(status, target_statuses):
            return "failed"
    if not live:
        return "empty"
    if seen < live:
        return None
    if check_mode:
        return "observed"
    if settled == live:
        return "done"
    if history > history_before:
        return "changed"
    return None


def progress_window(certificate_count, sleep, first_observation=False):
    """Seconds a round goes on after a status change: none for one certificate or a fleet's first look, a few else."""
    if certificate_count <= 1 or first_observation:
        return 0.0
    return min(float(sleep), FLEET_PROGRESS_WINDOW)


class WaitTimeout(Exception):
    """The deadline passed before a call could succeed."""


class FleetError(Exception):
    """A poll failed in a way retrying cannot fix."""

    def __init__(self, kind, identifier, exception):
        super().__init__(str(exception))
        self.kind = kind
        self.identifier = identifier
        self.exception = exception


class PollScheduler:
    """Polls certificates for one module round, with bounded concurrency and a fleet-wide backoff.

    - Each certificate has a ``due`` time and is polled again ``sleep`` seconds after its previous
      poll started (the caller spreads first polls, see ``spread``). A certificate already in one
      of ``target_statuses`` is done and not polled again.
    - At most ``max_concurrency`` requests are in flight, from a pool of worker threads.
    - A transient error pauses the whole fleet (no request starts before ``pause_until``) with
      jittered exponential backoff. Only requests started after the last raise raise it again, so
      throttled answers to requests already in flight count once; each success lowers it a step.
      The certificate is retried as soon as the pause allows.
    - Sleeps and pauses are cut at the round end and the deadline. Requests in flight are always
      waited for, so a round overruns the deadline by at most one request.

    AWSRetry cannot do this: it knows no deadline, never retries botocore's connection errors
    (BotoCoreError) and backs off per call, not for the fleet. So the module's client does not
    retry (botocore max_attempts 1, no AWSRetry) and every retry happens here.
    """

    def __init__(
        self,
        fetch,
        state,
        sleep,
        max_concurrency,
        target_statuses=(),
        clock=time.monotonic,
        sleeper=time.sleep,
        rng=random.random,
    ):
        self._fetch = fetch
        self._target_statuses = tuple(target_statuses)
        self._sleep_interval = sleep
        self._max_concurrency = max_concurrency
        self._clock = clock
        self._sleeper = sleeper
        self._rng = rng
        self._started = clock()
        self._offset = float(state.get("offset", 0.0))
        self.deadline = self._offset + float(state["deadline"])
        self.round_end = self._offset + float(state.get("round_limit", ROUND_LIMIT))
        pause = state.get("pause") or {}
        self.pause_until = float(pause.get("until", 0.0))
        self.level = int(pause.get("level", 0))
        self._raised_at = float("-inf")

    def now(self):
        """Task seconds, from the round's offset and the module's monotonic clock."""
        return self._offset + self._clock() - self._started

    def pause_state(self):
        return {"level": self.level, "until": round(self.pause_until, 3)}

    def resume(self, certificates, left_at):
        """Moves due times and the pause later by the time no module ran since the previous round left at ``left_at``.

        Each round's clock starts from the plugin's reading taken before the module started, so
        it runs behind by that start-up. Shifting by the gap means a poll interval spanning two
        rounds can only grow, never shrink below ``sleep``.
        """
        gap = max(0.0, self.now() - float(left_at))
        for certificate in certificates:
            certificate["due"] = round(certificate["due"] + gap, 3)
        if self.pause_until:
            self.pause_until += gap

    def _sleep_until(self, when):
        delay = min(when, self.deadline, self.round_end) - self.now()
        if delay > _EPSILON:
            self._sleeper(delay)

    def transient(self, started):
        """A request started at ``started`` met a transient error: pause the whole fleet."""
        if started <= self._raised_at:
            return
        now = self.now()
        self.level += 1
        self._raised_at = now
        span = min(BACKOFF_BASE * 2 ** (self.level - 1), BACKOFF_MAX)
        self.pause_until = max(self.pause_until, now + span / 2 + self._rng() * span / 2)

    def success(self):
        self.level = max(0, self.level - 1)

    def call(self, function):
        """``function()``, retried on transient errors (after the fleet pause) until the deadline."""
        while True:
            self._sleep_until(self.pause_until)
            if self.now() + _EPSILON >= self.deadline:
                raise WaitTimeout()
            started = self.now()
            try:
                result = function()
            except Exception as e:  # pylint: disable=broad-exception-caught
                if classify_error(e) != TRANSIENT:
                    raise
                self.transient(started)
                continue
            self.success()
            return result

    def run(self, certificates, stop, change_window=0.0):
        """Polls ``certificates`` (state dicts, updated in place) until the round ends; returns why.

        ``stop()`` is asked at the start and after every answer (it reads the certificates, so it
        cannot change in between). ``"changed"`` from it ends the round only ``change_window``
        seconds after it was first given, so changes close together share a round. The deadline
        ends the round with ``"deadline"`` and the round limit with ``"round"``. A non-retryable
        error raises FleetError once the requests in flight have ended.

        Certificates wait in a heap by due time: a poll costs O(log n), not a scan of the fleet.
        """
        queue = [(c["due"], index, c) for index, c in enumerate(certificates) if self._needs_polling(c)]
        heapq.heapify(queue)
        in_flight = {}
        verdict = stop()
        changed_at = None
        reason = None
        error = None
        with ThreadPoolExecutor(max_workers=self._max_concurrency) as pool:
            while True:
                now = self.now() + _EPSILON
                if verdict == "changed" and changed_at is None:
                    changed_at = now
                if reason is None:
                    reason = "error" if error else self._round_over(verdict, changed_at, change_window, now)
                if reason is not None:
                    if not in_flight:
                        break
                    done = wait(in_flight, return_when=FIRST_COMPLETED).done
                else:
                    while queue and now >= self.pause_until and queue[0][0] <= now:
                        if len(in_flight) >= self._max_concurrency:
                            break
                        due, index, certificate = heapq.heappop(queue)
                        certificate["attempts"] += 1
                        in_flight[pool.submit(self._fetch, certificate["identifier"])] = (certificate, index, now)
                    wake = max(queue[0][0] if queue else self.round_end, self.pause_until)
                    if changed_at is not None:
                        wake = min(wake, changed_at + change_window)
                    wake = min(wake, self.deadline, self.round_end)
                    if not in_flight:
                        self._sleep_until(wake)
                        continue
                    full = len(in_flight) >= self._max_concurrency
                    timeout = None if full else max(0.0, wake - now)
                    done = wait(in_flight, timeout=timeout, return_when=FIRST_COMPLETED).done
                for future in done:
                    certificate, index, started = in_flight.pop(future)
                    failure = self._record(certificate, started, future)
                    error = error or failure
                    if self._needs_polling(certificate):
                        heapq.heappush(queue, (certificate["due"], index, certificate))
                if done and reason is None:
                    verdict = stop()
        if error is not None:
            raise error
        return reason

    def _round_over(self, verdict, changed_at, change_window, now):
        if verdict is not None and verdict != "changed":
            return verdict
        if changed_at is not None and now >= changed_at + change_window:
            return "changed"
        return self._time_up(now)

    def _needs_polling(self, certificate):
        if certificate.get("gone"):
            return False
        return (certificate.get("details") or {}).get("certificate_status") not in self._target_statuses

    def _time_up(self, now):
        if now >= self.deadline:
            return "deadline"
        if now >= self.round_end:
            return "round"
        return None

    def _record(self, certificate, started, future):
        try:
            details = future.result()
        except Exception as e:  # pylint: disable=broad-exception-caught
            kind = classify_error(e)
            if kind == NOT_FOUND and "tenant" in certificate and not certificate.get("details"):
                # A listed tenant without a managed certificate (or deleted since the listing) is no part of the wait.
                certificate["gone"] = True
                return None
            if kind != TRANSIENT:
                return FleetError(kind, certificate["identifier"], e)
            self.transient(started)
            certificate["last_error"] = error_summary(e)
            certificate["due"] = round(self.now(), 3)
            return None
        self.success()
        certificate.pop("last_error", None)
        certificate["due"] = round(started + self._sleep_interval, 3)
        certificate["details"] = details
        status = details.get("certificate_status")
        if not certificate["history"] or certificate["history"][-1]["status"] != status:
            certificate["history"].append({"status": status, "elapsed": round(self.now(), 1)})
        return None


def filter_description(params):
    """The listing filter of ``params`` in words, for messages."""
    return " and ".join(f"{name} {params[name]!r}" for name in LISTING_FILTER_OPTIONS if params.get(name) is not None)


def failure_message(kind, identifier, default):
    """The message of a wait ended by an error of ``kind`` (see ``classify_error``); ``default`` otherwise."""
    if kind == NOT_FOUND:
        return f"distribution tenant {identifier!r} does not exist or has no CloudFront-managed certificate"
    if kind == REJECTED_CREDENTIALS:
        return (
            "AWS rejected the credentials in use (expired or invalid): refresh them, for example renew the "
            "session token or log in again, and run the task again"
        )
    if kind == MISSING_CREDENTIALS:
        return (
            "no AWS credentials found where the task runs: set access_key and secret_key (and session_token), "
            "or profile, in the task or in module_defaults for group/edge.cloudfront.aws, or provide them through "
            "the AWS_* environment variables, the shared credentials file or an instance role"
        )
    return default
