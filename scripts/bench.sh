#!/usr/bin/env bash
# The benchmark of edge.cloudfront (`make bench`): our plugins side by side with what users would
# use instead, on the project's CloudFront emulator with 20 ms of latency per request.
# Prints a table and one summary line; exits 0 even when a target is missed (it is a measurement,
# not a test), non-zero only when the benchmark itself could not run or a command gave wrong results.
# Takes about 8 minutes on 2 cores. See docs/performance.md for what the numbers mean.
#
#   bash scripts/bench.sh                 everything
#   bash scripts/bench.sh --parts 1,3a    some parts (1, 2, 3, 3a, 3bc, 4)
#   bash scripts/bench.sh --quick         fewer repeats (a smoke run; not for publishing)
#
# Environment: PYTHON (default .venv/bin/python, else python3 on PATH), EDGE_AWS_CLI (default
# .venv-awscli/bin/aws), ANSIBLE_COLLECTIONS_PATH (used when it holds edge.cloudfront; otherwise the
# working tree is built and installed into .build/bench/installed first). amazon.aws comes from the
# ansible package of the venv. Every measurement also goes to .build/bench/results.json.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

if [ -z "${PYTHON:-}" ]; then
    if [ -x "$ROOT/.venv/bin/python" ]; then PYTHON="$ROOT/.venv/bin/python"; else PYTHON="$(command -v python3)"; fi
fi
BIN="$(dirname "$PYTHON")"
for tool in ansible ansible-playbook ansible-galaxy; do
    [ -x "$BIN/$tool" ] || { echo "bench: $BIN/$tool not found: run make venv (or set PYTHON to a venv with ansible)" >&2; exit 2; }
done
AWS_CLI="${EDGE_AWS_CLI:-$ROOT/.venv-awscli/bin/aws}"
[ -x "$AWS_CLI" ] || AWS_CLI="$(command -v aws || true)"
[ -n "$AWS_CLI" ] || { echo "bench: no AWS CLI (make venv creates .venv-awscli)" >&2; exit 2; }

# The installed collection to measure: ANSIBLE_COLLECTIONS_PATH when it holds edge.cloudfront (make's
# .build/installed), else a private build of the working tree (.build/installed is shared with other
# make targets, which delete and reinstall it: a benchmark must not read it while that happens).
if [ -n "${ANSIBLE_COLLECTIONS_PATH:-}" ] && [ -d "${ANSIBLE_COLLECTIONS_PATH%%:*}/ansible_collections/edge/cloudfront" ]; then
    COLLECTIONS="$ANSIBLE_COLLECTIONS_PATH"
else
    COLLECTIONS="$ROOT/.build/bench/installed"
    echo "bench: building the working tree's collection into $COLLECTIONS"
    rm -rf "$ROOT/.build/bench/dist" "$COLLECTIONS"
    mkdir -p "$ROOT/.build/bench/dist"
    "$BIN/ansible-galaxy" collection build --output-path "$ROOT/.build/bench/dist" --force >/dev/null
    "$BIN/ansible-galaxy" collection install --no-deps -p "$COLLECTIONS" "$ROOT"/.build/bench/dist/edge-cloudfront-*.tar.gz >/dev/null 2>&1
    [ -f "$COLLECTIONS/ansible_collections/edge/cloudfront/MANIFEST.json" ] || { echo "bench: the collection did not install" >&2; exit 2; }
fi
mkdir -p "$ROOT/.build/bench"

echo "bench: python $PYTHON, AWS CLI $AWS_CLI, collections $COLLECTIONS"
exec "$PYTHON" "$ROOT/scripts/bench/bench.py" --collections-path "$COLLECTIONS" --aws "$AWS_CLI" \
    --json "$ROOT/.build/bench/results.json" "$@"
