# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""End to end: every module's EXAMPLES run as written, against the emulator.

The examples set no connection details, as a user's tasks would with credentials in the
environment: the endpoint comes from AWS_ENDPOINT_URL_CLOUDFRONT and the credentials from the
default profile or, for the examples that name `profile: migration`, from that profile.
"""

import importlib.util

import pytest
import yaml

from playbook_runner import ACCESS_KEY
from playbook_runner import REPO
from playbook_runner import SECRET_KEY
from playbook_runner import run_any_playbook

SHOP = {
    "id": "dt_2abcDEF3ghij4KLM",
    "name": "shop-example",
    "distribution_id": "E1SHOPDEMO0001",
    "domains": ["www.shop.example.com"],
    "certificate": {"validation_token_host": "self-hosted", "statuses": ["pending-validation", "issued"]},
}
STATIC = {
    "name": "static-example",
    "distribution_id": "E1SHOPDEMO0001",
    "domains": ["static.shop.example.com"],
    "certificate": {"validation_token_host": "cloudfront", "statuses": ["issued"]},
}
PENDING = {
    "name": "fleet-pending",
    "distribution_id": "E1ABCDEFGHIJKL",
    "domains": ["www.pending.example.com"],
    "certificate": {"validation_token_host": "cloudfront", "statuses": ["pending-validation"]},
}
EXAMPLES_SCENARIO = {"tenants": [SHOP, STATIC, PENDING]}


def module_examples(name):
    spec = importlib.util.spec_from_file_location(name, REPO / "plugins" / "modules" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return yaml.safe_load(module.EXAMPLES)


@pytest.mark.parametrize("module_name", ["cloudfront_managed_certificate_info", "wait_for"])
def test_examples_run_as_written(emulator, collections_path, tmp_path, module_name):
    playbook = tmp_path / "examples.yml"
    tasks = module_examples(module_name)
    playbook.write_text(yaml.safe_dump([{"name": "EXAMPLES", "hosts": "localhost", "gather_facts": False, "tasks": tasks}]))
    config = tmp_path / "aws_config"
    credentials = f"aws_access_key_id = {ACCESS_KEY}\naws_secret_access_key = {SECRET_KEY}\n"
    config.write_text(f"[default]\n{credentials}[profile migration]\n{credentials}")
    env = {"AWS_ENDPOINT_URL_CLOUDFRONT": emulator.url, "AWS_CONFIG_FILE": str(config)}
    run = run_any_playbook(emulator, collections_path, playbook, EXAMPLES_SCENARIO, env=env)
    assert run.rc == 0, run.output
    assert f"ok={len(tasks)}" in run.stdout, run.stdout
    assert "failed=0" in run.stdout
    assert all(entry["status"] == 200 for entry in run.requests)
