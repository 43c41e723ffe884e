#!/usr/bin/env bash
# `make run`: start quiver-embed on MiniLM, wait until it is healthy, show a curl that works
# against it (and its answer), then keep serving until Ctrl-C / SIGTERM.
set -euo pipefail
cd "$(dirname "$0")/.."
PORT="${1:-8080}"
BIN="$(swift build -c release --show-bin-path)/quiver-embed"
MODEL=".cache/models/all-MiniLM-L6-v2"

"$BIN" --model-id "$MODEL" --onnxruntime-library .cache/onnxruntime/lib/libonnxruntime.so.1.31.1 \
  --hostname 127.0.0.1 --port "$PORT" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID' INT TERM

for _ in $(seq 1 300); do
  if curl -fs "http://127.0.0.1:${PORT}/health" >/dev/null 2>&1; then break; fi
  if ! kill -0 $PID 2>/dev/null; then wait $PID; exit $?; fi
  sleep 0.1
done

CURL="curl -s http://127.0.0.1:${PORT}/v1/embeddings -H 'Content-Type: application/json' -d '{\"model\": \"all-MiniLM-L6-v2\", \"input\": [\"Hello world\", \"Quiver serves embeddings\"]}'"
cat <<MSG

quiver-embed is serving ${MODEL} on http://127.0.0.1:${PORT}. Try:

  ${CURL}

Its answer (vectors cut to 3 values here):
MSG
eval "$CURL" | python3 -c 'import json,sys; r=json.load(sys.stdin); [print("  index", d["index"], "dims", len(d["embedding"]), d["embedding"][:3], "...") for d in r["data"]]; print("  usage", r["usage"])'
echo
echo "Ctrl-C stops it (in-flight requests finish first)."
wait $PID
