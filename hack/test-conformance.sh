#!/usr/bin/env bash
# Runs the conformance suite (hack/conformance.sh) against a fresh `quiver apiserver`.
# Usage: hack/test-conformance.sh PATH/TO/quiver
set -uo pipefail
QUIVER=${1:?usage: hack/test-conformance.sh PATH/TO/quiver}
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$(mktemp -d)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$QUIVER" apiserver --data-dir "$DATA" --port "$PORT" --log-level warning >"$DATA/server.log" 2>&1 &
PID=$!
trap 'kill "$PID" 2>/dev/null; wait "$PID" 2>/dev/null; rm -rf "$DATA"' EXIT
for _ in $(seq 1 300); do [ -s "$DATA/kubeconfig" ] && break; sleep 0.1; done
[ -s "$DATA/kubeconfig" ] || { echo "quiver apiserver did not start:"; cat "$DATA/server.log"; exit 1; }
bash "$HERE/conformance.sh" "$DATA/kubeconfig"
