#!/usr/bin/env bash
# The control-plane REST API end to end with curl, as README's walk-through: a fresh
# `quiver apiserver`, the CRDs, plans and templates, `quiver operator` with a token file, then the
# seed's flow (object-store secret, artifact, the seed's configuration refused, the consistent one
# created, POST …/deployments, RUNNING, STOP, DELETE). Then the OpenAPI document: it validates
# (openapi-spec-validator), the served copy is the committed one, and a bounded schemathesis run
# against the live API finds no 5xx and no response outside the document.
# Usage: hack/test-api.sh PATH/TO/quiver PYTHON
set -uo pipefail
QUIVER=${1:?usage: hack/test-api.sh PATH/TO/quiver PYTHON}
PY=${2:-python3}
command -v kubectl >/dev/null || { echo "kubectl not found on PATH"; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
DATA=$(mktemp -d)
. "$HERE/lib-e2e.sh"
PORT=$(free_port); API=$(free_port); HEALTH=$(free_port)
PIDS=()
cleanup() {
  local i
  for ((i=${#PIDS[@]}-1; i>=0; i--)); do kill "${PIDS[$i]}" 2>/dev/null; wait "${PIDS[$i]}" 2>/dev/null; done
  rm -rf "$DATA"
}
trap cleanup EXIT
start_apiserver "$PORT"


kubectl apply -f "$ROOT/manifests/crd/" >/dev/null
kubectl wait --for condition=established crd --all --timeout=20s >/dev/null
kubectl apply -f "$ROOT/manifests/resourceplans/default.yaml" -f "$ROOT/templates/" >/dev/null
printf 'apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels: {quiver.dev/resource-group: "true"}\n' | kubectl apply -f - >/dev/null
"$QUIVER" token generate --user me --group system:masters >"$DATA/me"
TOKEN=$(head -1 "$DATA/me"); tail -1 "$DATA/me" >"$DATA/tokens"
check "quiver token generate prints a token and its sha256 line" "sha256:" cat "$DATA/tokens"
"$QUIVER" operator --kubeconfig "$KUBECONFIG" --no-leader-elect --health-address "127.0.0.1:$HEALTH" \
  --api-address "127.0.0.1:$API" --api-base-url "http://127.0.0.1:$API" --token-file "$DATA/tokens" --log-level warning >"$DATA/operator.log" 2>&1 &
PIDS+=($!)
B="http://127.0.0.1:$API"
eventually "the API answers /healthz" "ok" curl -s "$B/healthz"
H=(-H "Authorization: Bearer $TOKEN" -H "AI-Resource-Group: team-a" -H "Content-Type: application/json")

check "no token: 401 in AI Core's shape" '"code":"Unauthorized"' curl -s "$B/v2/lm/deployments"
check "object-store secret" "secret has been created" curl -s "${H[@]}" "$B/v2/admin/objectStoreSecrets" \
  -d '{"name":"s3-bucket","type":"S3","bucket":"on-boarded-bucket","region":"eu-central-1","data":{"AWS_ACCESS_KEY_ID":"AKIDEXAMPLE","AWS_SECRET_ACCESS_KEY":"very-secret-value"}}'
check "its values are never returned" '"storage.ai.sap.com/bucket":"on-boarded-bucket"' curl -s "${H[@]}" "$B/v2/admin/objectStoreSecrets/s3-bucket"
ARTIFACT=$(curl -s "${H[@]}" "$B/v2/lm/artifacts" -d '{"labels":[],"name":"our-awesome-model/v1","kind":"model","url":"ai://s3-bucket/our-awesome-model/v1","description":"Fantastic model","scenarioId":"ies-foundation-models"}' \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check "artifact created" "-" echo "$ARTIFACT"
SEED=$(python3 - "$ARTIFACT" <<'PY'
import json, sys
print(json.dumps({"executableId": "infinity-emb-model-serve",
  "inputArtifactBindings": [{"artifactId": sys.argv[1], "key": "embmodel"}], "name": "nomic-embed-text-v1.5",
  "parameterBindings": [{"key": "image", "value": "XXX.common.repositories.cloud.sap/genai-platform-exp/ai-core-embed-model-serve:0.0.1"},
    {"key": "batchSize", "value": "256"}, {"key": "trustRemoteCode", "value": "False"}, {"key": "portNumber", "value": "9000"},
    {"key": "resourcePlan", "value": "infer2.l"}, {"key": "modelName", "value": "nomic-ai/nomic-embed-text-v1.5"}],
  "scenarioId": "llm-fine-tuning"}))
PY
)
check "the seed's configuration as printed is refused naming embmodel" "embmodel" curl -s "${H[@]}" "$B/v2/lm/configurations" -d "$SEED"
check "… and nomicv15" "nomicv15" curl -s "${H[@]}" "$B/v2/lm/configurations" -d "$SEED"
FIXED=$(echo "$SEED" | sed -e 's/infinity-emb-model-serve/nomic-embed/' -e 's/llm-fine-tuning/ies-foundation-models/' -e 's/"embmodel"/"nomicv15"/')
CONFIG=$(curl -s "${H[@]}" "$B/v2/lm/configurations" -d "$FIXED" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check "the consistent configuration is created" "-" echo "$CONFIG"
DEPLOY=$(curl -s "${H[@]}" -X POST "$B/v2/lm/configurations/$CONFIG/deployments" | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check "POST …/deployments gives an id" "d" echo "$DEPLOY"
eventually "the deployment becomes PENDING" '"status":"PENDING"' curl -s "${H[@]}" "$B/v2/lm/deployments/$DEPLOY?\$select=status"
check "the pod spec has BATCH_SIZE 256" "256" kubectl -n team-a get deployment.apps/"$DEPLOY" -o 'jsonpath={.spec.template.spec.containers[0].env[?(@.name=="BATCH_SIZE")].value}'
check "… and the artifact's URL" "s3://on-boarded-bucket/our-awesome-model/v1" kubectl -n team-a get deployment.apps/"$DEPLOY" -o 'jsonpath={.spec.template.spec.containers[0].env[?(@.name=="STORAGE_URI")].value}'
kubectl -n team-a patch deployment.apps/"$DEPLOY" --subresource=status --type merge -p '{"status":{"replicas":1,"availableReplicas":1,"readyReplicas":1}}' >/dev/null
eventually "RUNNING once a replica is available" '"status":"RUNNING"' curl -s "${H[@]}" "$B/v2/lm/deployments/$DEPLOY"
check "deleting a RUNNING deployment: 412" "412" curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -X DELETE "$B/v2/lm/deployments/$DEPLOY"
check "PATCH targetStatus STOPPED: 202" "202" curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -X PATCH "$B/v2/lm/deployments/$DEPLOY" -d '{"targetStatus":"STOPPED"}'
kubectl -n team-a patch deployment.apps/"$DEPLOY" --subresource=status --type merge -p '{"status":{"replicas":0,"availableReplicas":0,"readyReplicas":0}}' >/dev/null
eventually "STOPPED" '"status":"STOPPED"' curl -s "${H[@]}" "$B/v2/lm/deployments/$DEPLOY"
check "the gateway answers 409 for a stopped deployment" "409" curl -s -o /dev/null -w '%{http_code}' "${H[@]}" "$B/v2/inference/deployments/$DEPLOY/v1/embeddings" -d '{"input":"x"}'
check "DELETE: 202" "202" curl -s -o /dev/null -w '%{http_code}' "${H[@]}" -X DELETE "$B/v2/lm/deployments/$DEPLOY"
eventually "gone: 404" "404" curl -s -o /dev/null -w '%{http_code}' "${H[@]}" "$B/v2/lm/deployments/$DEPLOY"

# The OpenAPI document.
DOC="$ROOT/Sources/ControlPlane/Resources/openapi.json"
curl -s "$B/v2/openapi.json" >"$DATA/served.json"
check "the served document is the committed one" "same" bash -c "cmp -s '$DOC' '$DATA/served.json' && echo same"
check "the document validates (openapi-spec-validator)" "OK" "$PY" -m openapi_spec_validator "$DOC"
# A bounded schemathesis run against the live API (about two thousand cases, fixed seed): no 5xx,
# every status and body as documented.
ST="$(dirname "$PY")/schemathesis"
if "$ST" run "$B/v2/openapi.json" \
    --checks not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance \
    -H "Authorization: Bearer $TOKEN" -H "AI-Resource-Group: team-a" --max-examples 25 --seed 1 --request-timeout 20 \
    --no-color >"$DATA/schemathesis.log" 2>&1; then
  check "schemathesis: no 5xx, every response as documented" "passed" grep -Eo "[0-9]+ generated, [0-9]+ passed" "$DATA/schemathesis.log"
else
  check "schemathesis: no 5xx, every response as documented" "no failures" sed -n '/FAILURES/,$p' "$DATA/schemathesis.log"
fi

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
