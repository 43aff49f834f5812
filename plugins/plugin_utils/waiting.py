# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The controller side of edge.cloudfront.wait_for: results, messages and progress lines from the round state.

The state is what the module returns in its internal key (see module_utils/waiting.py):
``certificates``, each with ``identifier``, ``details``, ``history``, ``attempts`` and, with a
filter, ``tenant``.
"""

from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec

from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import CERTIFICATE_STATUSES
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import is_terminal_failure
from ansible_collections.edge.cloudfront.plugins.module_utils.managed_certificate import pending_redirects
from ansible_collections.edge.cloudfront.plugins.module_utils.waiting import WAIT_FOR_OPTIONS

NOT_READ = "not read yet"


def controller_argument_spec():
    """The options a wait_for task accepts: wait_for's own and amazon.aws's connection options.

    The environment fallbacks are left out: the module resolves them where it runs.
    """
    spec = {name: {k: v for k, v in option.items() if k != "fallback"} for name, option in aws_argument_spec().items()}
    spec.update(WAIT_FOR_OPTIONS)
    return spec


def is_single(params):
    return params.get("identifier") is not None or params.get("domain") is not None


def _name(certificate):
    """How messages name a certificate: as the user did (a domain), else by its identifier."""
    return certificate.get("label") or certificate["identifier"]


def _status(certificate):
    return (certificate.get("details") or {}).get("certificate_status")


def _targets(target_statuses):
    return " or ".join(target_statuses)


def total_attempts(state):
    return sum(certificate["attempts"] for certificate in (state or {}).get("certificates", []))


def wait_result(state, params, elapsed):
    """The task result for the round state: DESIGN's keys, the same whether the wait succeeded or not."""
    certificates = (state or {}).get("certificates", [])
    result = {"changed": False, "elapsed": round(elapsed, 1), "attempts": total_attempts(state)}
    if is_single(params):
        certificate = certificates[0] if certificates else {"identifier": params.get("identifier"), "history": []}
        details = certificate.get("details") or {}
        result["managed_certificate_details"] = details
        result["status_history"] = certificate["history"]
        result["ansible_facts"] = {
            "cloudfront_managed_certificate": dict(details, identifier=certificate["identifier"])
        }
        return result
    entries = []
    for certificate in certificates:
        entry = dict(certificate.get("tenant") or {})
        entry.update(certificate.get("details") or {})
        entry["identifier"] = certificate["identifier"]
        entry["status_history"] = certificate["history"]
        entries.append(entry)
    result["managed_certificates"] = entries
    result["ansible_facts"] = {"cloudfront_managed_certificates": entries}
    return result


def status_counts(certificates):
    """``"58 pending-validation, 2 issued"``: how many certificates are in each status, in the API's order."""
    counts = {}
    for certificate in certificates:
        status = _status(certificate) or NOT_READ
        counts[status] = counts.get(status, 0) + 1
    order = list(CERTIFICATE_STATUSES) + sorted(set(counts) - set(CERTIFICATE_STATUSES))
    return ", ".join(f"{counts[status]} {status}" for status in order if status in counts)


def progress_lines(previous, state, single):
    """The lines to print for what a round observed.

    One line per new status (``<identifier>: <status> after <n>s``), except that the first
    observation of several certificates is one summary line of counts.
    """
    before = {}
    for certificate in (previous or {}).get("certificates", []):
        before.setdefault(certificate["identifier"], len(certificate["history"]))
    certificates = (state or {}).get("certificates", [])
    lines = []
    first_observation = not single and not any(before.values()) and any(c["history"] for c in certificates)
    if first_observation:
        noun = "certificate" if len(certificates) == 1 else "certificates"
        lines.append(f"{len(certificates)} {noun}: {status_counts(certificates)}")
    for certificate in certificates:
        new = certificate["history"][before.get(certificate["identifier"], 0) :]
        if first_observation:
            new = new[1:]
        for entry in new:
            lines.append(f"{_name(certificate)}: {entry['status']} after {round(entry['elapsed'])}s")
    return lines


def round_line(number, previous, state, seconds):
    """The ``-v`` line of one module round."""
    requests = total_attempts(state) - total_attempts(previous)
    counts = status_counts((state or {}).get("certificates", [])) or "no certificate read yet"
    return f"wait_for round {number}: {requests} requests in {seconds:.1f}s, ended by {state.get('reason')}; {counts}"


def _describe(certificate):
    status = _status(certificate)
    text = f"{_name(certificate)} is {status}" if status else f"{_name(certificate)} was {NOT_READ}"
    if certificate.get("last_error"):
        text += f" (last error: {certificate['last_error']})"
    redirects = pending_redirects(certificate.get("details") or {})
    if redirects:
        text += f"; serve {', '.join(redirects)}"
    return text


def failure_message(state, target_statuses):
    """The message when certificates reached a status they never leave that is not a target."""
    failed = [c for c in state["certificates"] if is_terminal_failure(_status(c), target_statuses)]
    described = ", ".join(_describe(certificate) for certificate in failed)
    if len(state["certificates"]) == 1:
        return f"The certificate of {described}: it can never become {_targets(target_statuses)}"
    noun = "certificate" if len(failed) == 1 else "certificates"
    return f"{len(failed)} {noun} can never become {_targets(target_statuses)}: {described}"


def timeout_message(state, target_statuses, elapsed):
    """The message on timeout: each certificate not yet done with its last status and the redirects still to serve."""
    certificates = (state or {}).get("certificates")
    attempts = total_attempts(state)
    head = f"Timed out after {round(elapsed)}s"
    if not certificates:
        return f"{head} before the tenants to wait for were found ({attempts} attempts)"
    waiting = [c for c in certificates if _status(c) not in target_statuses]
    described = "; ".join(_describe(certificate) for certificate in waiting)
    if len(certificates) == 1:
        subject = f"the certificate of {_name(certificates[0])}"
        return f"{head} waiting for {subject} to be {_targets(target_statuses)} ({attempts} attempts): {described}"
    return (
        f"{head} waiting for {len(certificates)} certificates to be {_targets(target_statuses)} ({attempts} attempts); "
        f"{len(waiting)} not done: {described}"
    )
