#!/usr/bin/env bash
# Compares ShortestFloat with Float.description for all 2^32 Float bit patterns (minutes: one
# shard per core), then times it against Float.write(to:). Not run by `make test`.
set -euo pipefail
cd "$(dirname "$0")/.."
out=.build/check-shortest-float
mkdir -p .build
swiftc -O Sources/EmbeddingServer/ShortestFloat.swift hack/shortest-float-check/main.swift -o "$out"
"$out" bench
shards=$(nproc)
pids=()
for ((k = 0; k < shards; k++)); do "$out" all "$k" "$shards" & pids+=($!); done
status=0
for pid in "${pids[@]}"; do wait "$pid" || status=1; done
exit $status
