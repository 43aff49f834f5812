# -*- coding: utf-8 -*-
# Copyright: Contributors to the edge.cloudfront collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""pytest fixtures for the local CloudFront emulator.

Use from another suite, e.g. in its conftest.py:

    import os, sys
    sys.path.insert(0, os.path.join(<repo root>, "tests", "emulator"))
    from fixtures import cloudfront_emulator, pytest_configure  # noqa: F401  (pytest_configure registers the marker)

or ``pytest_plugins = ["fixtures"]`` in the root conftest once that directory is on sys.path.

    @pytest.mark.cloudfront_scenario({"tenants": [{"name": "t", "domains": ["www.example.com"],
                                                    "certificate": {"statuses": ["issued"]}}]})
    def test_something(cloudfront_emulator):
        client = boto3.client("cloudfront", endpoint_url=cloudfront_emulator.url, region_name="us-east-1", ...)
"""

from __future__ import absolute_import, division, print_function

import os
import sys

import pytest

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from cloudfront_emulator import EmulatorServer  # noqa: E402  pylint: disable=wrong-import-position

MARKER = "cloudfront_scenario"


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        MARKER + "(scenario): scenario (dict, or path of a JSON/YAML file) for the cloudfront_emulator fixture",
    )


def _scenario_of(request):
    marker = request.node.get_closest_marker(MARKER)
    if marker is None:
        return None
    if marker.args:
        return marker.args[0]
    return marker.kwargs.get("scenario")


@pytest.fixture
def cloudfront_emulator(request):
    """A running EmulatorServer (function scope); its scenario comes from @pytest.mark.cloudfront_scenario."""
    server = EmulatorServer(scenario=_scenario_of(request))
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="session")
def cloudfront_emulator_session():
    """One EmulatorServer for the whole session (empty scenario): call .load(...) in each test."""
    server = EmulatorServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
