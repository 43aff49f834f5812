# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs integration target cases with real ansible-playbook against the local CloudFront emulator.

The collection under test is the built and installed artifact (EDGE_COLLECTIONS_PATH, set by
`make e2e`), so these tests also prove the tarball is complete.
"""

import json
import os
import pathlib
import subprocess
import sys

REPO = pathlib.Path(__file__).resolve().parents[2]
TARGETS = REPO / "tests" / "integration" / "targets"

# Distinctive dummy credentials: the secret and the session token must never show up in any output.
ACCESS_KEY = "AKIAEDGEE2ETEST00001"
SECRET_KEY = "EDGEe2eSECRETdoNOTleak0123456789abcdefghij"
SESSION_TOKEN = "EDGEe2eSESSIONtokenDONOTleak9876543210zyxw"


class PlaybookRun:
    def __init__(self, process, requests):
        self.rc = process.returncode
        self.stdout = process.stdout
        self.stderr = process.stderr
        self.requests = requests

    @property
    def output(self):
        return self.stdout + self.stderr

    def operations(self):
        return [entry["operation"] for entry in self.requests]


def ansible_env(collections_path):
    env = {name: value for name, value in os.environ.items() if not name.startswith(("AWS_", "ANSIBLE_"))}
    env.update(
        ANSIBLE_COLLECTIONS_PATH=collections_path,
        ANSIBLE_ROLES_PATH=str(TARGETS),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_FORCE_COLOR="0",
        ANSIBLE_RETRY_FILES_ENABLED="0",
        ANSIBLE_LOCALHOST_WARNING="0",
        ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
        ANSIBLE_PYTHON_INTERPRETER=sys.executable,
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
        AWS_EC2_METADATA_DISABLED="true",
    )
    return env


def run_playbook(emulator, collections_path, target, case, scenario, extra_vars=None, verbosity=0, check=False):
    """Loads ``scenario`` into the emulator, then runs ``tasks/<case>.yml`` of ``target`` with ansible-playbook."""
    variables = dict(
        e2e_target=target,
        e2e_case=case,
        aws_endpoint_url=emulator.url,
        aws_access_key=ACCESS_KEY,
        aws_secret_key=SECRET_KEY,
        security_token=SESSION_TOKEN,
    )
    variables.update(extra_vars or {})
    options = ["-e", json.dumps(variables)]
    if verbosity:
        options.append("-" + "v" * verbosity)
    if check:
        options.append("--check")
    return run_any_playbook(emulator, collections_path, REPO / "tests" / "e2e" / "run_target.yml", scenario, options)


def run_any_playbook(emulator, collections_path, playbook, scenario, options=(), env=None):
    """Loads ``scenario`` into the emulator, then runs ``playbook`` with ansible-playbook ``options``."""
    emulator.load(scenario)
    command = [str(pathlib.Path(sys.executable).parent / "ansible-playbook"), str(playbook)] + list(options)
    environment = ansible_env(collections_path)
    environment.update(env or {})
    process = subprocess.run(command, env=environment, capture_output=True, text=True, timeout=600, check=False)
    return PlaybookRun(process, emulator.requests())


def peak_in_flight(entries):
    """The most requests of the emulator's log that were in flight at one moment."""
    events = sorted([(entry["t"], 1) for entry in entries] + [(entry["t"] + entry["duration"], -1) for entry in entries])
    peak = in_flight = 0
    for dummy, step in events:
        in_flight += step
        peak = max(peak, in_flight)
    return peak
