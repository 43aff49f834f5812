#!/usr/bin/env bash
# `make demo`: the DNS-migration runbook (docs/examples/dns_migration_runbook.yml) against the
# local CloudFront emulator, with the collection as built and installed by `make build-check`.
set -euo pipefail
cd "$(dirname "$0")/.."

bin="$PWD/.venv/bin"
installed="$PWD/.build/installed"
if [ ! -d "$installed/ansible_collections/edge/cloudfront" ]; then
    echo "demo: the collection is not installed in $installed; run it through 'make demo'" >&2
    exit 1
fi

workdir=$(mktemp -d)
emulator_pid=""
cleanup() {
    if [ -n "$emulator_pid" ]; then
        kill "$emulator_pid" 2>/dev/null || true
        wait "$emulator_pid" 2>/dev/null || true
    fi
    rm -rf "$workdir"
}
trap cleanup EXIT

"$bin/python" tests/emulator/cloudfront_emulator.py --scenario tests/emulator/scenarios/demo.yml \
    --port 0 --url-file "$workdir/url" >/dev/null &
emulator_pid=$!
for _ in $(seq 100); do
    [ -s "$workdir/url" ] && break
    kill -0 "$emulator_pid" 2>/dev/null || { echo "demo: the emulator did not start" >&2; exit 1; }
    sleep 0.1
done
[ -s "$workdir/url" ] || { echo "demo: the emulator did not start within 10 s" >&2; exit 1; }
url=$(cat "$workdir/url")

cat <<TXT

==== demo: DNS migration runbook for www.shop.example.com ====
CloudFront API: local emulator at $url (scenario tests/emulator/scenarios/demo.yml:
the tenant's self-hosted certificate is pending validation for about 6 s, then issued).
Against AWS, the same playbook runs without the -e overrides below.

TXT
env AWS_ACCESS_KEY_ID=AKIAEDGEDEMO00000001 AWS_SECRET_ACCESS_KEY=edge-demo-dummy-secret-key \
    AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true \
    ANSIBLE_COLLECTIONS_PATH="$installed" ANSIBLE_LOCALHOST_WARNING=false ANSIBLE_INVENTORY_UNPARSED_WARNING=false \
    "$bin/ansible-playbook" docs/examples/dns_migration_runbook.yml \
    -e runbook_domain=www.shop.example.com \
    -e cloudfront_endpoint_url="$url" \
    -e certificate_poll_interval=2 \
    -e certificate_wait_timeout=120
