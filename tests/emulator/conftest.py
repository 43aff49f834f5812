# -*- coding: utf-8 -*-
# Copyright: Contributors to the edge.cloudfront collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Make the emulator's fixtures available to tests/emulator (pytest_plugins is only allowed in a root conftest)."""

from __future__ import absolute_import, division, print_function

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
if _HERE not in sys.path:
    sys.path.insert(0, _HERE)

from fixtures import cloudfront_emulator, cloudfront_emulator_session, pytest_configure  # noqa: E402,F401  pylint: disable=unused-import,wrong-import-position
