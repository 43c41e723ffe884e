#!/usr/bin/env bash
# Kubernetes API conformance checks against the server a kubeconfig names (a real kube-apiserver or
# EmbeddedKube). Usage: bash hack/conformance.sh KUBECONFIG [--only SUBSTR] [-v] [--context NAME]
# See the docstring at the top of hack/conformance.py. Needs only python3 (standard library).
set -euo pipefail
if [ $# -lt 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
  echo "usage: $0 KUBECONFIG [--only SUBSTR] [-v] [--context NAME] [--list]" >&2
  exit 2
fi
kubeconfig="$1"
shift
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
exec python3 "$here/conformance.py" --kubeconfig "$kubeconfig" "$@"
