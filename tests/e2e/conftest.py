# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures of the end-to-end suite: one emulator for the session, and a case runner."""

import os
import pathlib
import sys

import pytest

from playbook_runner import REPO
from playbook_runner import run_playbook

sys.path.insert(0, str(REPO / "tests" / "emulator"))

from cloudfront_emulator import EmulatorServer  # noqa: E402  pylint: disable=wrong-import-position


@pytest.fixture(scope="session")
def emulator():
    with EmulatorServer() as server:
        yield server


@pytest.fixture(scope="session")
def collections_path():
    path = os.environ.get("EDGE_COLLECTIONS_PATH")
    if not path or not (pathlib.Path(path) / "ansible_collections" / "edge" / "cloudfront").is_dir():
        pytest.fail(
            "EDGE_COLLECTIONS_PATH must name a collections path where edge.cloudfront is installed "
            "(run the end-to-end suite with `make e2e`, which builds and installs it)"
        )
    return path


@pytest.fixture
def run_case(emulator, collections_path):
    """run_case(target, case, scenario, ..., expect_rc=0): one ansible-playbook run, its exit code checked."""

    def run(target, case, scenario, expect_rc=0, **options):
        result = run_playbook(emulator, collections_path, target, case, scenario, **options)
        assert result.rc == expect_rc, f"ansible-playbook exited {result.rc}, expected {expect_rc}:\n{result.output}"
        return result

    return run
