#!/usr/bin/env bash
# Offline stand-in for ansible-test's get-pip download (see shared/TOOLING.md §1a).
#
# ansible-test bootstraps pip in every managed venv (--venv) by running
# ~/.ansible/test/cache/get_pip_<ver>.py, which it downloads from ci-files.testing.ansible.com
# when missing. That host is unreachable here, so this writes an equivalent script that
# installs pip from the PyPI wheel instead. Idempotent: a no-op once the stand-in exists.
#
# usage: PY=/path/to/python-with-ansible-core bash scripts/ansible_test_offline_bootstrap.sh
set -euo pipefail
PY=${PY:-python3}
PIPVER=$("$PY" -c "
import re, inspect, ansible_test._internal.python_requirements as r
print(re.search(r\"pip='([0-9.]+)'\", inspect.getsource(r.get_venv_packages)).group(1))")
CACHE="$HOME/.ansible/test/cache"
TARGET="$CACHE/get_pip_${PIPVER//./_}.py"
WHEEL="$CACHE/pip-$PIPVER-py3-none-any.whl"
if [ -f "$TARGET" ] && [ -f "$WHEEL" ] && grep -q "Offline stand-in" "$TARGET"; then
    exit 0
fi
mkdir -p "$CACHE"
"$PY" -m pip download -q --no-deps -d "$CACHE" "pip==$PIPVER"
cat > "$TARGET" <<PYEOF
"""Offline stand-in for ansible-test's get-pip-$PIPVER.py bootstrap script."""
import os
import sys

WHEEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "pip-$PIPVER-py3-none-any.whl")


def main():
    argv = sys.argv[1:]
    args = [a for a in argv if a not in ("--no-setuptools", "--no-wheel")]
    if "--no-setuptools" not in argv:
        args.append("setuptools")
    if "--no-wheel" not in argv:
        args.append("wheel")
    sys.path.insert(0, WHEEL)
    from pip._internal.cli.main import main as pip_main
    return pip_main(["install", "--upgrade", "--force-reinstall"] + args)


if __name__ == "__main__":
    sys.exit(main())
PYEOF
echo "ansible-test offline bootstrap: wrote $TARGET"
