#!/usr/bin/env bash
# Compares wilint's YAML reading with kubectl's (go-yaml v2 through sigs.k8s.io/yaml, split
# like k8s.io/apimachinery's YAMLReader; see bench/kubectl-yaml/main.go) on a directory:
# every file kubectl accepts must lint without WI000.
#
#   bench/kubectl_yaml.sh [DIR]          (default ../shared/corpus)
#
# Needs Go and Debian's golang-gopkg-yaml.v2-dev and golang-k8s-sigs-yaml-dev (offline build:
# `apt-get install golang-go golang-gopkg-yaml.v2-dev golang-k8s-sigs-yaml-dev`).
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-../shared/corpus}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
(cd bench/kubectl-yaml && GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS= go build -o "$out/kubectl-yaml" .)
cargo build --release --quiet
# What a walk lints: YAML and JSON files outside Helm charts' directories.
(cd "$dir" && find . -type f \( -name '*.yaml' -o -name '*.yml' -o -name '*.json' \) \
  -not -path './helm/charts/*' | sed 's|^\./||' | sort) > "$out/files"
(cd "$dir" && xargs -a "$out/files" "$out/kubectl-yaml") > "$out/kubectl"
(cd "$dir" && "$OLDPWD/target/release/wilint" check . --isolated --format json --fail-on never 2>/dev/null) > "$out/wilint.json" || true
python3 - "$out" <<'PY'
import json, sys
out = sys.argv[1]
kubectl = {}
for line in open(f"{out}/kubectl"):
    verdict, rest = line.rstrip("\n").split(" ", 1)
    kubectl[rest.split(": ", 1)[0]] = (verdict, rest)
report = json.load(open(f"{out}/wilint.json"))
wi000 = {}
for d in report["diagnostics"]:
    if d["code"] == "WI000":
        wi000.setdefault(d["path"], d)
accepted = [p for p, (v, _) in kubectl.items() if v == "ok"]
print(f"{len(kubectl)} files; kubectl accepts {len(accepted)}; wilint WI000 on {len(wi000)}")
stricter = sorted(p for p in wi000 if kubectl.get(p, ("?",))[0] == "ok")
print(f"kubectl accepts, wilint WI000: {len(stricter)}")
for p in stricter:
    print(f"  {p}:{wi000[p]['line']}: {wi000[p]['message']}")
both = sorted(p for p in wi000 if kubectl.get(p, ("?",))[0] == "error")
print(f"both refuse: {len(both)}")
for p in both:
    print(f"  {p}: {kubectl[p][1].split(': ', 1)[1]}")
PY
