#!/usr/bin/env bash
# Offline checks of deploy/: the Kubernetes manifests against the API schema (kubernetes-validate,
# strict: unknown fields are errors), the ConfigMap's configuration against deploy/portcullis.json
# and `portcullis check`, and the systemd unit (systemd-analyze verify, when available).
# The Dockerfile is not built here (no registry access on the build machine).
#
#   pip install kubernetes-validate        (once)
#   deploy/validate.sh [KUBERNETES_VERSION] (default 1.31.0: the oldest version the manifests target)
set -euo pipefail
cd "$(dirname "$0")/.."
k8s_version="${1:-1.31.0}"
status=0

if ! command -v kubernetes-validate >/dev/null; then
    echo "kubernetes-validate not found: pip install kubernetes-validate" >&2
    exit 2
fi
echo "== Kubernetes manifests (schema $k8s_version, strict)"
kubernetes-validate --strict -k "$k8s_version" deploy/kubernetes/*.yaml || status=1

echo "== ConfigMap configuration"
python3 - <<'PY' || status=1
import json, sys, yaml
with open("deploy/kubernetes/configmap.yaml") as f:
    embedded = yaml.safe_load(f)["data"]["portcullis.json"]
with open("deploy/portcullis.json") as f:
    reference = f.read()
if json.loads(embedded) != json.loads(reference):
    sys.exit("deploy/kubernetes/configmap.yaml: portcullis.json differs from deploy/portcullis.json")
print("configmap.yaml: portcullis.json equals deploy/portcullis.json")
PY
bin="${PORTCULLIS_BIN:-}"
if [ -z "$bin" ]; then
    for candidate in .build/release/portcullis .build/debug/portcullis; do
        if [ -x "$candidate" ]; then bin="$candidate"; break; fi
    done
fi
if [ -n "$bin" ]; then
    "$bin" check --config deploy/portcullis.json || status=1
else
    echo "portcullis not built (swift build): skipping portcullis check" >&2
fi

echo "== systemd unit"
if command -v systemd-analyze >/dev/null; then
    # The unit names /usr/local/bin/portcullis; verify it against the built binary in a copy.
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    sed "s#/usr/local/bin/portcullis#$(realpath "${bin:-/bin/true}")#g" deploy/systemd/portcullis.service > "$tmp/portcullis.service"
    # verify exits 0 on unknown keys and unparsable values (it ignores them): any output is a failure.
    out=$(systemd-analyze verify "$tmp/portcullis.service" 2>&1) || true
    if [ -z "$out" ]; then
        echo "portcullis.service: OK"
    else
        echo "$out"
        status=1
    fi
else
    echo "systemd-analyze not available: skipping the unit check" >&2
fi

[ "$status" = 0 ] && echo "deploy/: all checks passed" || echo "deploy/: FAILED" >&2
exit "$status"
