#!/usr/bin/env bash
# Real kubectl against EmbeddedKube: `quiver apiserver` on a fresh data directory, then the
# commands users run, each checked by what kubectl prints or what the server then holds.
# Usage: hack/test-kubectl.sh PATH/TO/quiver
set -uo pipefail
QUIVER=${1:?usage: hack/test-kubectl.sh PATH/TO/quiver}
command -v kubectl >/dev/null || { echo "kubectl not found on PATH: the kubectl tests need it (v1.32 is in the machine image)"; exit 1; }
HERE=$(cd "$(dirname "$0")" && pwd)
DATA=$(mktemp -d)
. "$HERE/lib-e2e.sh"
PORT=$(free_port)
PIDS=()
cleanup() { kill "${PIDS[@]}" 2>/dev/null; wait "${PIDS[@]}" 2>/dev/null; rm -rf "$DATA"; }
trap cleanup EXIT
start_apiserver "$PORT"

T=$HERE/testdata/kubectl

check "apply CRD" "customresourcedefinition.apiextensions.k8s.io/widgets.quiver.dev created" kubectl apply -f "$T/widget-crd.yaml"
check "wait for established" "condition met" kubectl wait --for condition=established crd/widgets.quiver.dev --timeout=20s
check "api-resources lists the CRD with its short name" "wd" bash -c "kubectl api-resources --api-group=quiver.dev | grep widgets"
check "apply builtins (create)" "deployment.apps/web created" kubectl apply -f "$T/builtins-v1.yaml"
check "apply widget (create)" "widget.quiver.dev/w1 created" kubectl apply -f "$T/widget-v1.yaml"
check "re-apply unchanged widget" "widget.quiver.dev/w1 unchanged" kubectl apply -f "$T/widget-v1.yaml"
check "re-apply changed widget" "widget.quiver.dev/w1 configured" kubectl apply -f "$T/widget-v2.yaml"
check "widget spec after re-apply" "3 blue" kubectl -n kapply get wd w1 -o 'jsonpath={.spec.size} {.spec.color}'
check "widget generation bumped once" "2" kubectl -n kapply get wd w1 -o 'jsonpath={.metadata.generation}'
check "re-apply changed builtins" "deployment.apps/web configured" kubectl apply -f "$T/builtins-v2.yaml"
check "deployment env merged by name" '[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}]' \
  kubectl -n kapply get deploy web -o 'jsonpath={.spec.template.spec.containers[0].env}'
check "deployment port replaced" '[{"containerPort":8080,"protocol":"TCP"}]' kubectl -n kapply get deploy web -o 'jsonpath={.spec.template.spec.containers[0].ports}'
check "second container kept" "side busybox:1.36" kubectl -n kapply get deploy web -o 'jsonpath={.spec.template.spec.containers[1].name} {.spec.template.spec.containers[1].image}'
check "configmap edited by apply" '"b":"2"' kubectl -n kapply get cm cm1 -o 'jsonpath={.data}'
check "secret stringData stored as base64 data" "aHVudGVyMg==" kubectl -n kapply get secret s1 -o 'jsonpath={.data.password}'
check "get as table shows printer columns" "SIZE   COLOR" kubectl -n kapply get widgets
check "get table row" "w1     3      blue" kubectl -n kapply get widgets
check "get -o yaml" "image: nginx:1.27" kubectl -n kapply get wd w1 -o yaml
check "get -o json" '"kind": "Widget"' kubectl -n kapply get wd w1 -o json
check "get -l selects" "cm1" kubectl -n kapply get cm -l app=web
check "get -l excludes" "No resources found" kubectl -n kapply get cm -l app=other
check "patch --type merge" "patched" kubectl -n kapply patch wd w1 --type merge -p '{"spec":{"size":4}}'
check "patch --type json" "patched" kubectl -n kapply patch wd w1 --type json -p '[{"op":"replace","path":"/spec/color","value":"red"}]'
check "patches applied" "4 red" kubectl -n kapply get wd w1 -o 'jsonpath={.spec.size} {.spec.color}'
check "invalid patch is refused with the schema's message" "Unsupported value: \"green\"" kubectl -n kapply patch wd w1 --type merge -p '{"spec":{"color":"green"}}'
check "label" "labeled" kubectl -n kapply label wd w1 tier=gold
check "annotate" "annotated" kubectl -n kapply annotate wd w1 note=hello
check "label and annotation stored" "gold hello" kubectl -n kapply get wd w1 -o 'jsonpath={.metadata.labels.tier} {.metadata.annotations.note}'
check "apply refuses an unknown field (server-side strict validation)" 'strict decoding error: unknown field "spec.template.spec.containers[0].imagePullPolicyy"' \
  kubectl apply -f "$T/deployment-typo.yaml"
check "apply --dry-run=server" "(server dry run)" kubectl apply --dry-run=server -f "$T/widget-v1.yaml"
check "dry run changed nothing" "4 red" kubectl -n kapply get wd w1 -o 'jsonpath={.spec.size} {.spec.color}'

# get -w sees a change made while it watches.
WATCH_OUT="$DATA/watch.out"
kubectl -n kapply get wd -w --request-timeout=8s >"$WATCH_OUT" 2>&1 &
WPID=$!
for _ in $(seq 1 50); do grep -q "w1" "$WATCH_OUT" && break; sleep 0.1; done
kubectl -n kapply patch wd w1 --type merge -p '{"spec":{"size":9}}' >/dev/null
for _ in $(seq 1 50); do grep -q "w1 *9 " "$WATCH_OUT" && break; sleep 0.1; done
kill "$WPID" 2>/dev/null; wait "$WPID" 2>/dev/null
check "get -w sees the change" "9      red" cat "$WATCH_OUT"

check "delete" 'widget.quiver.dev "w1" deleted' kubectl -n kapply delete wd w1
check "deleted object is gone" "NotFound" kubectl -n kapply get wd w1
check "delete namespace" 'namespace "kapply" deleted' kubectl delete ns kapply --timeout=30s
check "namespace contents are gone" "No resources found" kubectl -n kapply get cm
check "namespace is gone" "NotFound" kubectl get ns kapply
check "bad token is refused" "Unauthorized" kubectl --token=wrong get ns

# The imperative commands: kubectl sends the built-ins it knows typed as protobuf bodies.
check "protobuf tables match the descriptors compiled into kubectl" " 0 problems" python3 "$HERE/check-protobuf-tables.py" "$(command -v kubectl)"
check "create namespace (protobuf)" "namespace/kproto created" kubectl create namespace kproto
check "create configmap --from-literal (protobuf)" "configmap/lit created" kubectl -n kproto create configmap lit --from-literal=a=b --from-literal=c=d
check "configmap data read back" "b d" kubectl -n kproto get cm lit -o 'jsonpath={.data.a} {.data.c}'
printf '\000\377\001' >"$DATA/bin"
check "create configmap --from-file with binary data (protobuf)" "configmap/bin created" kubectl -n kproto create configmap bin --from-file=b="$DATA/bin"
check "binaryData read back as base64" "AP8B" kubectl -n kproto get cm bin -o 'jsonpath={.binaryData.b}'
check "create secret generic --from-literal (protobuf)" "secret/lit created" kubectl -n kproto create secret generic lit --from-literal=password=hunter2
check "secret data round-trips through base64" "hunter2 Opaque" bash -c "echo \$(kubectl -n kproto get secret lit -o 'jsonpath={.data.password}' | base64 -d) \$(kubectl -n kproto get secret lit -o 'jsonpath={.type}')"
check "create serviceaccount (protobuf)" "serviceaccount/robot created" kubectl -n kproto create serviceaccount robot
check "serviceaccount read back" "robot" kubectl -n kproto get sa robot -o 'jsonpath={.metadata.name}'
check "auth can-i (SelfSubjectAccessReview, protobuf)" "yes" kubectl auth can-i list pods -n kproto
check "auth can-i --list (SelfSubjectRulesReview, protobuf)" "selfsubjectaccessreviews.authorization.k8s.io" kubectl auth can-i --list -n kproto
check "auth whoami (SelfSubjectReview, protobuf)" "quiver-admin" kubectl auth whoami
check "create deployment (protobuf)" "deployment.apps/imp created" kubectl -n kproto create deployment imp --image=nginx:1.27 --replicas=0 --port=8080
check "deployment read back, replicas 0 kept" "0 nginx:1.27 8080 app=imp" kubectl -n kproto get deploy imp \
  -o 'jsonpath={.spec.replicas} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].ports[0].containerPort} app={.spec.selector.matchLabels.app}'
check "create service clusterip (protobuf)" "service/imp created" kubectl -n kproto create service clusterip imp --tcp=80:8080
check "service ports read back" '[{"name":"80-8080","port":80,"protocol":"TCP","targetPort":8080}]' kubectl -n kproto get svc imp -o 'jsonpath={.spec.ports}'
check "create role (protobuf)" "role.rbac.authorization.k8s.io/reader created" kubectl -n kproto create role reader --verb=get,list --resource=pods,configmaps
check "role rules read back" '[{"apiGroups":[""],"resources":["pods","configmaps"],"verbs":["get","list"]}]' kubectl -n kproto get role reader -o 'jsonpath={.rules}'
check "create rolebinding (protobuf)" "rolebinding.rbac.authorization.k8s.io/reader created" kubectl -n kproto create rolebinding reader --role=reader --serviceaccount=kproto:robot
check "rolebinding read back" '[{"kind":"ServiceAccount","name":"robot","namespace":"kproto"}] Role/reader' kubectl -n kproto get rolebinding reader -o 'jsonpath={.subjects} {.roleRef.kind}/{.roleRef.name}'
# Impersonation (--as): the admin may impersonate; RBAC then answers for the impersonated account.
check "--as the bound service account: can list pods in its namespace" "yes" kubectl auth can-i list pods -n kproto --as system:serviceaccount:kproto:robot
check "--as the bound service account: cannot delete pods" "no" kubectl auth can-i delete pods -n kproto --as system:serviceaccount:kproto:robot
check "--as the bound service account: reads configmaps" "NAME" kubectl -n kproto get configmaps --as system:serviceaccount:kproto:robot
check "--as an unbound user: Forbidden in Kubernetes' words" 'configmaps is forbidden: User "mallory" cannot list resource "configmaps" in API group "" in the namespace "kproto"' kubectl -n kproto get configmaps --as mallory
# Service-account tokens (TokenRequest): the token authenticates as the account, RBAC applies.
ROBOT_TOKEN=$(kubectl -n kproto create token robot 2>&1)
check "create token (TokenRequest)" "qsa_" echo "$ROBOT_TOKEN"
check "the token authenticates as the service account" "system:serviceaccount:kproto:robot" kubectl --token "$ROBOT_TOKEN" auth whoami
check "… and may do what its RoleBinding grants" "NAME" kubectl --token "$ROBOT_TOKEN" -n kproto get configmaps
check "… and nothing more" 'User "system:serviceaccount:kproto:robot" cannot list resource "configmaps" in API group "" in the namespace "default"' kubectl --token "$ROBOT_TOKEN" -n default get configmaps
check "a duration under 10 minutes is refused" "may not specify a duration less than 10 minutes" kubectl -n kproto create token robot --duration 1m
check "a token for a missing account is refused" 'serviceaccounts "nobody" not found' kubectl -n kproto create token nobody
# autoscaling/v1 (kubectl autoscale), stored as v2.
check "autoscale (autoscaling/v1, protobuf)" "horizontalpodautoscaler.autoscaling/web-hpa autoscaled" bash -c \
  "kubectl -n kproto create deployment web-hpa --image=nginx --replicas=1 >/dev/null && kubectl -n kproto autoscale deployment web-hpa --min=1 --max=3 --cpu-percent=60"
check "read as v2: the CPU utilization metric" '"averageUtilization":60' kubectl -n kproto get hpa web-hpa -o 'jsonpath={.spec.metrics}'
check "read as v1: targetCPUUtilizationPercentage" "autoscaling/v1 60" kubectl -n kproto get horizontalpodautoscalers.v1.autoscaling web-hpa -o 'jsonpath={.apiVersion} {.spec.targetCPUUtilizationPercentage}'
check "create clusterrole (protobuf)" "clusterrole.rbac.authorization.k8s.io/kproto-health created" kubectl create clusterrole kproto-health --verb=get --non-resource-url=/healthz
check "clusterrole read back" '[{"nonResourceURLs":["/healthz"],"verbs":["get"]}]' kubectl get clusterrole kproto-health -o 'jsonpath={.rules}'
check "create clusterrolebinding (protobuf)" "clusterrolebinding.rbac.authorization.k8s.io/kproto-health created" kubectl create clusterrolebinding kproto-health --clusterrole=kproto-health --group=devs
check "clusterrolebinding read back" '[{"apiGroup":"rbac.authorization.k8s.io","kind":"Group","name":"devs"}]' kubectl get clusterrolebinding kproto-health -o 'jsonpath={.subjects}'
check "create poddisruptionbudget (protobuf)" "poddisruptionbudget.policy/imp created" kubectl -n kproto create poddisruptionbudget imp --selector=app=imp --min-available=1
check "poddisruptionbudget read back" "1 imp" kubectl -n kproto get pdb imp -o 'jsonpath={.spec.minAvailable} {.spec.selector.matchLabels.app}'
check "create --dry-run=server (protobuf)" "configmap/dry created (server dry run)" kubectl -n kproto create configmap dry --from-literal=a=b --dry-run=server
check "server dry run stored nothing" "NotFound" kubectl -n kproto get cm dry
kubectl delete clusterrole kproto-health >/dev/null 2>&1; kubectl delete clusterrolebinding kproto-health >/dev/null 2>&1
check "delete the imperative namespace" 'namespace "kproto" deleted' kubectl delete ns kproto --timeout=30s

# Quiver's own resources: CRDs, ResourcePlans and the shipped templates apply, print their columns,
# and what `quiver render` makes of the seed passes the server's strict validation.
ROOT=$(cd "$HERE/.." && pwd)
check "apply quiver CRDs" "customresourcedefinition.apiextensions.k8s.io/servingtemplates.quiver.dev created" kubectl apply -f "$ROOT/manifests/crd/"
for crd in servingtemplates configurations deployments artifacts resourceplans; do
  kubectl wait --for condition=established "crd/$crd.quiver.dev" --timeout=20s >/dev/null 2>&1
done
check "apply default resource plans" "resourceplan.quiver.dev/infer2.4xl created" kubectl apply -f "$ROOT/manifests/resourceplans/default.yaml"
check "apply shipped templates" "servingtemplate.quiver.dev/nomic-embed created" kubectl apply -f "$ROOT/templates/"
check "get st" "nomic-embed" kubectl get st
check "get rp shows plan columns" "infer2.l     7     28Gi     1" kubectl get rp
check "configuration applies" "configuration.quiver.dev/cccccccc-cccc-cccc-cccc-cccccccccccc created" kubectl apply -f "$T/seed-configuration.yaml"
check "a configuration is immutable" "a Configuration is immutable" kubectl patch qcfg cccccccc-cccc-cccc-cccc-cccccccccccc --type merge -p '{"spec":{"name":"renamed"}}'
check "get qd shows the printer columns" "NAME   STATUS   TARGET    URL   AGE" bash -c "kubectl apply -f - <<'YAML' >/dev/null && kubectl get qd
apiVersion: quiver.dev/v1alpha1
kind: Deployment
metadata: {name: d1, namespace: default}
spec: {configurationId: cccccccc-cccc-cccc-cccc-cccccccccccc}
YAML"
check "deployment targetStatus defaults to RUNNING" "RUNNING" kubectl get qd d1 -o 'jsonpath={.spec.targetStatus}'
check "quiver render of the seed passes strict server validation" "deployment.apps/preview created (server dry run)" bash -c \
  "'$QUIVER' render --template '$ROOT/templates/infinity.yaml' --configuration '$T/seed-configuration.yaml' --artifact '$T/seed-artifact.yaml' \
     --resource-plans '$ROOT/manifests/resourceplans/default.yaml' --object-store s3-bucket=s3://on-boarded-bucket | kubectl apply --dry-run=server -f -"
check "quiver render refuses the seed's mismatched ids, naming both sides" 'does not match the template'"'"'s executable "nomic-embed"' bash -c \
  "sed 's/ies-foundation-models/llm-fine-tuning/; s/executableId: nomic-embed/executableId: infinity-emb-model-serve/' '$T/seed-configuration.yaml' > '$DATA/bad.yaml'; '$QUIVER' render --template '$ROOT/templates/infinity.yaml' --configuration '$DATA/bad.yaml' --artifact '$T/seed-artifact.yaml' --resource-plans '$ROOT/manifests/resourceplans/default.yaml' 2>&1"

echo "$PASS passed, $FAIL failed"
[ "$FAIL" -eq 0 ]
