# -*- coding: utf-8 -*-

# Copyright: Contributors to the Ansible project
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Fixtures shared by the unit tests: a Stubber-backed CloudFront client and a module runner."""

import json
from unittest import mock

import pytest
from botocore.stub import Stubber

from ansible.module_utils.testing import patch_module_args

from ansible_collections.edge.cloudfront.tests.unit.plugins.cloudfront_stubs import make_client


@pytest.fixture(autouse=True)
def no_retry_sleep():
    """AWSRetry's backoff sleeps are recorded instead of slept (time.sleep stays real elsewhere)."""
    fake_time = mock.Mock(name="time")
    with mock.patch("ansible_collections.amazon.aws.plugins.module_utils.cloud.time", fake_time):
        yield fake_time.sleep


@pytest.fixture
def cloudfront():
    """A real boto3 CloudFront client whose requests and responses botocore's Stubber checks against the model."""
    client = make_client()
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


class ModuleRun:
    def __init__(self, result, connections):
        self.result = result
        self.connections = connections

    @property
    def failed(self):
        return bool(self.result.get("failed"))


@pytest.fixture
def run_module(capsys):
    """Runs a module's main() with ``args``; every boto3 connection it makes is ``client``."""

    def run(main, args, client=None):
        connections = []

        def fake_boto3_conn(module, conn_type=None, resource=None, **kwargs):
            connections.append(dict(conn_type=conn_type, resource=resource, **kwargs))
            if client is None:
                raise AssertionError("the module tried to connect to AWS")
            return client

        with mock.patch(
            "ansible_collections.amazon.aws.plugins.module_utils.modules.boto3_conn", side_effect=fake_boto3_conn
        ), patch_module_args(args):
            with pytest.raises(SystemExit):
                main()
        return ModuleRun(json.loads(capsys.readouterr().out), connections)

    return run
