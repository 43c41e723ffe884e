#!/usr/bin/env bash
# `quiver operator` end to end with real kubectl: a fresh `quiver apiserver`, the quiver CRDs, plans
# and templates, two operator replicas sharing one Lease, and a quiver Deployment driven through
# PENDING → RUNNING → STOPPED → RUNNING (after a leader failover) → deleted.
# Usage: hack/test-operator.sh PATH/TO/quiver
set -uo pipefail
QUIVER=${1:?usage: hack/test-operator.sh PATH/TO/quiver}
command -v kubectl >/dev/null || { echo "kubectl not found on PATH: the kubectl tests need it (v1.32 is in the machine image)"; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
T=$HERE/testdata/kubectl
DATA=$(mktemp -d)
. "$HERE/lib-e2e.sh"
PORT=$(free_port); HEALTH_A=$(free_port); HEALTH_B=$(free_port)
PIDS=()
cleanup() { # the operators first (they release the Lease through the API server), then the server
  local i
  for ((i=${#PIDS[@]}-1; i>=1; i--)); do kill "${PIDS[$i]}" 2>/dev/null; done
  for ((i=${#PIDS[@]}-1; i>=1; i--)); do wait "${PIDS[$i]}" 2>/dev/null; done
  kill "${PIDS[0]}" 2>/dev/null; wait "${PIDS[0]}" 2>/dev/null
  rm -rf "$DATA"
}
trap cleanup EXIT
start_apiserver "$PORT"


check "apply quiver CRDs" "customresourcedefinition.apiextensions.k8s.io/deployments.quiver.dev created" kubectl apply -f "$ROOT/manifests/crd/"
for crd in servingtemplates configurations deployments artifacts resourceplans; do
  check "crd $crd established" "condition met" kubectl wait --for condition=established "crd/$crd.quiver.dev" --timeout=20s
done
check "apply default resource plans" "resourceplan.quiver.dev/infer2.l created" kubectl apply -f "$ROOT/manifests/resourceplans/default.yaml"
check "apply shipped templates" "servingtemplate.quiver.dev/nomic-embed created" kubectl apply -f "$ROOT/templates/"

check "--serving-backend kserve without KServe installed is refused" "does not serve inferenceservices.serving.kserve.io/v1beta1" \
  "$QUIVER" operator --kubeconfig "$KUBECONFIG" --serving-backend kserve --no-leader-elect --health-address 127.0.0.1:0
check "a missing leader-election namespace is refused" "leader-election namespace quiver-system does not exist" \
  "$QUIVER" operator --kubeconfig "$KUBECONFIG" --health-address 127.0.0.1:0

start_operator() { # start_operator NAME HEALTH-PORT
  "$QUIVER" operator --kubeconfig "$KUBECONFIG" --leader-election-namespace default \
    --health-address "127.0.0.1:$2" --api-address 127.0.0.1:0 --log-level info >"$DATA/$1.log" 2>&1 &
  PIDS+=($!)
  eval "PID_$1=$!"
}
start_operator A "$HEALTH_A"
start_operator B "$HEALTH_B"
eventually "replica A /healthz" "ok" curl -s "http://127.0.0.1:$HEALTH_A/healthz"
eventually "replica B /healthz" "ok" curl -s "http://127.0.0.1:$HEALTH_B/healthz"
eventually "replica A /readyz" "ok" curl -s "http://127.0.0.1:$HEALTH_A/readyz"
eventually "replica B /readyz" "ok" curl -s "http://127.0.0.1:$HEALTH_B/readyz"
eventually "the Lease names a holder" "_" kubectl -n default get lease quiver-operator -o 'jsonpath={.spec.holderIdentity}'
leader_metric() { curl -s "http://127.0.0.1:$1/metrics" | awk '/^quiver_operator_leader /{print $2}'; }
eventually "one replica leads" "1" bash -c "echo \$(( \$(curl -s http://127.0.0.1:$HEALTH_A/metrics | awk '/^quiver_operator_leader /{print \$2}') + \$(curl -s http://127.0.0.1:$HEALTH_B/metrics | awk '/^quiver_operator_leader /{print \$2}') ))"
check "only one replica leads" "1" bash -c "echo \$(( \$(curl -s http://127.0.0.1:$HEALTH_A/metrics | awk '/^quiver_operator_leader /{print \$2}') + \$(curl -s http://127.0.0.1:$HEALTH_B/metrics | awk '/^quiver_operator_leader /{print \$2}') ))"
if [ "$(leader_metric "$HEALTH_A")" = "1" ]; then LEADER=A; LEADER_PID=$PID_A; FOLLOWER=B; FOLLOWER_HEALTH=$HEALTH_B
else LEADER=B; LEADER_PID=$PID_B; FOLLOWER=A; FOLLOWER_HEALTH=$HEALTH_A; fi
HOLDER=$(kubectl -n default get lease quiver-operator -o 'jsonpath={.spec.holderIdentity}')
check "the Lease's holderIdentity is the leading replica ($LEADER)" "identity=$HOLDER" grep -h "became leader" "$DATA/$LEADER.log"
check "the standby replica has not led" "standby" bash -c "grep -c 'became leader' '$DATA/$FOLLOWER.log' | grep -qx 0 && echo standby"
echo "     (replica $LEADER leads)"

check "apply artifact" "artifact.quiver.dev/aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa created" kubectl apply -f - <<'YAML'
apiVersion: quiver.dev/v1alpha1
kind: Artifact
metadata: {name: aaaaaaaa-aaaa-aaaa-aaaa-aaaaaaaaaaaa, namespace: default}
spec:
  name: nomic-embed-text-v1.5
  kind: model
  url: s3://models/nomic-embed-text-v1.5
  scenarioId: ies-foundation-models
YAML
check "apply configuration" "configuration.quiver.dev/cccccccc-cccc-cccc-cccc-cccccccccccc created" kubectl apply -f "$T/seed-configuration.yaml"
eventually "configuration becomes Valid" "True" \
  kubectl get qcfg cccccccc-cccc-cccc-cccc-cccccccccccc -o 'jsonpath={.status.conditions[?(@.type=="Valid")].status}'
check "apply deployment" "deployment.quiver.dev/d1 created" kubectl apply -f - <<'YAML'
apiVersion: quiver.dev/v1alpha1
kind: Deployment
metadata: {name: d1, namespace: default}
spec: {configurationId: cccccccc-cccc-cccc-cccc-cccccccccccc}
YAML
eventually "get qd shows PENDING" "PENDING" kubectl get qd d1
eventually "the apps Deployment is created" "d1" kubectl get deployment.apps -l app.kubernetes.io/managed-by -o name
WORKLOAD=$(kubectl get deployment.apps -o jsonpath='{.items[0].metadata.name}')
check "the Service is created" "service/" kubectl get service -l app.kubernetes.io/managed-by -o name
kubectl patch deployment.apps/"$WORKLOAD" --subresource=status --type merge \
  -p '{"status":{"replicas":1,"availableReplicas":1,"readyReplicas":1}}' >/dev/null
eventually "get qd shows RUNNING with its URL" "RUNNING   RUNNING   http://127.0.0.1:8080/v2/inference/deployments/d1" kubectl get qd d1

check "patch targetStatus STOPPED" "patched" kubectl patch qd d1 --type merge -p '{"spec":{"targetStatus":"STOPPED"}}'
eventually "apps Deployment scaled to 0" "0" kubectl get deployment.apps/"$WORKLOAD" -o 'jsonpath={.spec.replicas}'
kubectl patch deployment.apps/"$WORKLOAD" --subresource=status --type merge \
  -p '{"status":{"replicas":0,"availableReplicas":0,"readyReplicas":0}}' >/dev/null
eventually "get qd shows STOPPED" "STOPPED   STOPPED" kubectl get qd d1

# Failover: SIGTERM the leader; it releases the Lease and the other replica takes over.
kill -TERM "$LEADER_PID"
for _ in $(seq 1 150); do kill -0 "$LEADER_PID" 2>/dev/null || break; sleep 0.2; done
wait "$LEADER_PID" 2>/dev/null; LEADER_RC=$?
check "the leader exits 0 on SIGTERM" "rc=0" echo "rc=$LEADER_RC"
check "the leader stepped down on SIGTERM" "released" bash -c "grep -q 'lost leadership' '$DATA/$LEADER.log' && echo released"
eventually "the other replica leads" "1" leader_metric "$FOLLOWER_HEALTH"
HOLDER=$(kubectl -n default get lease quiver-operator -o 'jsonpath={.spec.holderIdentity}')
check "the Lease now names the other replica ($FOLLOWER)" "identity=$HOLDER" grep -h "became leader" "$DATA/$FOLLOWER.log"
check "patch targetStatus RUNNING" "patched" kubectl patch qd d1 --type merge -p '{"spec":{"targetStatus":"RUNNING"}}'
eventually "the new leader scales the apps Deployment up" "1" kubectl get deployment.apps/"$WORKLOAD" -o 'jsonpath={.spec.replicas}'
kubectl patch deployment.apps/"$WORKLOAD" --subresource=status --type merge \
  -p '{"status":{"replicas":1,"availableReplicas":1,"readyReplicas":1}}' >/dev/null
eventually "get qd shows RUNNING again" "RUNNING   RUNNING" kubectl get qd d1

check "delete qd" 'deployment.quiver.dev "d1" deleted' kubectl delete qd d1 --timeout=30s
eventually "the apps Deployment is gone" "No resources found" kubectl get deployment.apps -n default
eventually "the Service is gone" "No resources found" kubectl get service -n default -l app.kubernetes.io/managed-by
eventually "the qd is gone" "NotFound" kubectl get qd d1

# Another holder takes the Lease: the leader stops its reconcilers and exits non-zero (Kubernetes restarts it).
[ "$FOLLOWER" = A ] && NEW_LEADER_PID=$PID_A || NEW_LEADER_PID=$PID_B
kubectl -n default patch lease quiver-operator --type merge \
  -p "{\"spec\":{\"holderIdentity\":\"intruder\",\"leaseDurationSeconds\":600,\"renewTime\":\"$(date -u +%Y-%m-%dT%H:%M:%S.000000Z)\"}}" >/dev/null
for _ in $(seq 1 150); do kill -0 "$NEW_LEADER_PID" 2>/dev/null || break; sleep 0.2; done
wait "$NEW_LEADER_PID" 2>/dev/null; NEW_LEADER_RC=$?
check "a leader that loses the Lease exits non-zero" "rc=1" echo "rc=$NEW_LEADER_RC"
check "and says why" "lost the leader-election lease" cat "$DATA/$FOLLOWER.log"

echo "$PASS passed, $FAIL failed"
if [ "$FAIL" -ne 0 ]; then for f in "$DATA"/A.log "$DATA"/B.log; do echo "--- $f"; tail -30 "$f"; done; fi
[ "$FAIL" -eq 0 ]
