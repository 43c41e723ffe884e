# Shared by hack/test-kubectl.sh, hack/test-operator.sh and hack/test-api.sh (sourced, not run):
# a free loopback port, a fresh `quiver apiserver` with kubectl pointed at it, and the PASS/FAIL
# checks. The sourcing script sets QUIVER and DATA, and owns PIDS and its cleanup trap.

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# start_apiserver PORT: `quiver apiserver` on PORT with its data in $DATA (its PID appended to
# PIDS), KUBECONFIG exported, and back once kubectl reaches it (at most 10 s).
start_apiserver() {
  "$QUIVER" apiserver --data-dir "$DATA" --port "$1" --log-level warning >"$DATA/server.log" 2>&1 &
  PIDS+=($!)
  export KUBECONFIG="$DATA/kubeconfig"
  for _ in $(seq 1 100); do [ -s "$KUBECONFIG" ] && kubectl version >/dev/null 2>&1 && break; sleep 0.1; done
}

PASS=0; FAIL=0
check() { # check NAME EXPECTED-SUBSTRING COMMAND...
  local name=$1 want=$2; shift 2
  local out; out=$("$@" 2>&1)
  if [[ "$out" == *"$want"* ]]; then PASS=$((PASS+1)); echo "PASS $name"
  else FAIL=$((FAIL+1)); echo "FAIL $name: expected output containing [$want], got:"; echo "$out" | head -c 3000 | sed 's/^/    /'; fi
}

# eventually NAME EXPECTED-SUBSTRING COMMAND...: check, polling for up to 30 s.
eventually() {
  local name=$1 want=$2; shift 2
  local out
  for _ in $(seq 1 150); do out=$("$@" 2>&1); [[ "$out" == *"$want"* ]] && break; sleep 0.2; done
  check "$name" "$want" echo "$out"
}
