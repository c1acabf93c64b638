#!/usr/bin/env python3
"""Deterministic synthetic corpus of Kubernetes manifests for benchmarking wilint.

    python3 bench/gencorpus.py --size-mb N --out DIR [--seed S] [--force]

Writes a directory tree of YAML files totalling about N MB (1 to 500+), modelled on real
repositories and rendered Helm charts. By bytes, roughly:

    35%  CustomResourceDefinitions (openAPIV3Schema with deep nested properties, 50-300 KB)
    20%  ConfigMaps and Secrets with large payloads (| blocks, embedded JSON/config files)
    25%  workloads: Deployment, StatefulSet, DaemonSet, Job, CronJob, Pod, ReplicaSet
    10%  ServiceAccounts (about a third annotated for Workload Identity, a few malformed),
         Namespaces, Services, Ingresses, NetworkPolicies, RBAC
    10%  Config Connector IAM: IAMServiceAccount, IAMPolicyMember, IAMPolicy, IAMPartialPolicy

Files are single documents, `---` streams, Helm-rendered streams (`# Source:` headers) and,
from 40 MB on, a few very large streams (5-20 MB), spread over team-N/app/... directories.
Everything is derived from one random.Random(seed): the same seed and size give
byte-identical output. Python 3.11 standard library only; text is built from string
templates (no YAML library), so generation runs at well over 50 MB/s.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import shutil
import sys
import time

MB = 1024 * 1024
MARKER = ".corpus-summary"  # no .yaml/.yml/.json extension: never linted

TARGETS = {"crd": 0.35, "config": 0.20, "workload": 0.25, "misc": 0.10, "kcc": 0.10}

WORDS = (
    "the of a to and is in that for it as with be on not this by are or from at an which "
    "field value object resource name namespace selector label annotation container pod "
    "volume secret config map service account cluster node port protocol policy rule "
    "status condition reason message type spec template replica strategy update rolling "
    "timeout seconds interval period threshold limit request memory cpu storage class "
    "endpoint address host path url scheme header token credential certificate key "
    "issuer authority duration renew before after default optional required must should "
    "may specifies defines describes indicates whether when if unset empty list items "
    "reference kind group version api server client controller operator webhook metric "
    "alert rule scrape target job relabel regex action source destination retry backoff "
    "maximum minimum number string integer boolean array format pattern enum mode level"
).split()
NWORDS = len(WORDS)

APP_A = (
    "payments ledger billing search catalog checkout orders inventory shipping pricing "
    "identity auth profile notify email sms reports analytics events audit media upload "
    "gateway frontend admin recommend fraud risk loyalty coupons cart session geo maps "
    "ingest etl warehouse export import scheduler cron metrics logging tracing alerting "
    "chat voice video stream feed social rating review support ticket wiki docs portal"
).split()
APP_B = (
    "api worker gateway web consumer producer processor sync indexer cache proxy "
    "backend frontend service controller exporter agent collector dispatcher store"
).split()

PROJECTS = [
    "acme-prod", "acme-staging", "acme-dev-381204", "data-platform-prod", "ml-training-7731",
    "shared-services-prd", "payments-core-eu", "retail-analytics-02", "edge-network-4410",
    "corp-it-tools", "sandbox-team-9912", "observability-prd",
]

REGISTRIES = [
    "gcr.io/{p}", "us-docker.pkg.dev/{p}/apps", "europe-west1-docker.pkg.dev/{p}/containers",
    "docker.io/library", "ghcr.io/acme", "quay.io/acme",
]

CRD_GROUPS = [
    "monitoring.coreos.com", "argoproj.io", "cert-manager.io", "networking.istio.io",
    "security.istio.io", "kafka.strimzi.io", "postgresql.cnpg.io", "keda.sh",
    "external-secrets.io", "gateway.networking.k8s.io", "velero.io", "karpenter.sh",
    "serving.knative.dev", "eventing.knative.dev", "tekton.dev", "sql.cnrm.cloud.google.com",
    "storage.cnrm.cloud.google.com", "compute.cnrm.cloud.google.com", "acme.internal.io",
    "kustomize.toolkit.fluxcd.io", "source.toolkit.fluxcd.io", "opentelemetry.io",
]

ROLES = [
    "roles/storage.objectViewer", "roles/storage.objectAdmin", "roles/pubsub.publisher",
    "roles/pubsub.subscriber", "roles/cloudsql.client", "roles/secretmanager.secretAccessor",
    "roles/logging.logWriter", "roles/monitoring.metricWriter", "roles/bigquery.dataViewer",
    "roles/bigquery.jobUser", "roles/cloudtrace.agent", "roles/artifactregistry.reader",
]


def indent(p: str, lines: list[str]) -> str:
    """Lines joined, each prefixed with p and ended with a newline."""
    return p + ("\n" + p).join(lines) + "\n"


def camel(a: str, b: str) -> str:
    return a + b[:1].upper() + b[1:]


class Gen:
    def __init__(self, out: str, size_bytes: int, seed: int) -> None:
        self.out = out
        self.target = size_bytes
        self.rng = random.Random(seed)
        self._r = self.rng.random
        self.total = 0
        self.files = 0
        self.docs = 0
        self.cat_bytes = {c: 0 for c in TARGETS}
        self.kinds: dict[str, int] = {}
        self.apps: list[dict] = []
        self.ptr = {"workload": 0, "misc": 0, "kcc": 0, "config": 0}
        self.used_names: dict[str, int] = {}
        self.emitted_ns: set[str] = set()
        self.paths: set[str] = set()
        self.dirs: set[str] = set()
        self.big = None  # [file object, relpath, bytes written, target bytes, docs]
        self.big_plan: list[tuple[int, int]] = []  # (open at total bytes, stream size)
        self.crd_names: set[str] = set()
        self._indent_cache: dict[tuple[int, int], str] = {}
        self.teams = [self._team(i) for i in range(max(4, min(60, size_bytes // (3 * MB))))]
        self._build_schema_pool()
        self._build_text_pools()
        self._build_env_pool()
        self._plan_big_streams()

    # ----------------------------------------------------------------- helpers
    def w(self) -> str:
        """A random word (much faster than rng.choice)."""
        return WORDS[int(self._r() * NWORDS)]

    def words(self, lo: int, hi: int) -> str:
        return " ".join(self.rng.choices(WORDS, k=self.rng.randint(lo, hi)))

    def sentence(self, lo: int = 6, hi: int = 18) -> str:
        s = self.words(lo, hi)
        return s[0].upper() + s[1:] + "."

    def fast_sentence(self) -> str:
        return self.rng.choice(self.sentences)

    def _team(self, i: int) -> dict:
        rng = self.rng
        return {
            "name": f"team-{i:02d}",
            "project": PROJECTS[i % len(PROJECTS)] if rng.random() < 0.8 else rng.choice(PROJECTS),
            "layout": rng.choice(["flat", "flat", "flat", "kustomize", "envs", "k8s"]),
            "shared_ns": rng.random() < 0.3,
            "seq": rng.choice(["", "  "]),  # kubectl style vs helm style sequence indent
            "apps": 0,
        }

    def unique(self, base: str) -> str:
        n = self.used_names.get(base, 0)
        self.used_names[base] = n + 1
        return base if n == 0 else f"{base}-{n + 1}"

    def relpath(self, path: str) -> str:
        base, ext = os.path.splitext(path)
        n = 2
        while path in self.paths:
            path = f"{base}-{n}{ext}"
            n += 1
        self.paths.add(path)
        return path

    @staticmethod
    def gsa_id(name: str) -> str:
        gid = name[:30].rstrip("-")
        if len(gid) < 6:
            gid = (gid + "-gsa")[:30]
        return gid

    # ----------------------------------------------------------------- apps
    def new_app(self, helm: bool = False) -> dict:
        rng = self.rng
        team = rng.choice(self.teams)
        team["apps"] += 1
        name = self.unique(f"{rng.choice(APP_A)}-{rng.choice(APP_B)}")
        if helm:
            ns = name if rng.random() < 0.7 else None  # namespace-less rendered charts
        elif team["shared_ns"]:
            ns = team["name"]
        else:
            ns = f"{team['name']}-{name}" if rng.random() < 0.3 else name
        project = team["project"]
        release = rng.choice(["release-name", name, f"{name}-prod", "rel"]) if helm else None
        base = f"{release}-{name}" if helm and release != name else name
        ksas = [self.ksa(base, name, project, rng.random() < 0.55)]
        for role in rng.sample(["worker", "migrate", "cron", "reader", "sync", "admin"], rng.choice([0, 1, 1, 2, 2, 3])):
            ksas.append(self.ksa(f"{base}-{role}", f"{name}-{role}", project, rng.random() < 0.2))
        wi = any(k["gsa"] for k in ksas)
        app = {
            "team": team, "name": name, "ns": ns, "project": project, "helm": helm,
            "release": release, "base": base, "ksas": ksas, "wi": wi,
            "chart": name.split("-")[0] + rng.choice(["", "-chart", "-app"]),
            "ver": f"{rng.randint(0, 4)}.{rng.randint(0, 30)}.{rng.randint(0, 9)}",
            "port": rng.choice([8080, 8080, 8000, 3000, 9090, 5000, 8443]),
            "seq": team["seq"],
            "default_annotated": bool(ksas[0]["gsa"]) and rng.random() < 0.03,
        }
        layout = team["layout"]
        sub = {"flat": "", "kustomize": "base/", "envs": f"envs/{rng.choice(['prod', 'staging', 'dev'])}/",
               "k8s": "k8s/"}[layout]
        app["dir"] = f"{team['name']}/{name}/{sub}"
        return app

    def ksa(self, name: str, gsa_base: str, project: str, annotate: bool) -> dict:
        """A Kubernetes ServiceAccount, maybe annotated with a (rarely malformed) GSA e-mail."""
        rng = self.rng
        gid = self.gsa_id(gsa_base)
        k = {"name": name, "gsa": None, "bind": False, "gid": gid, "gproject": project}
        if annotate:
            gproject = project if rng.random() < 0.9 else rng.choice(PROJECTS)
            r = rng.random()
            if r < 0.04:
                email = f"{gid}@{gproject}"  # missing .iam.gserviceaccount.com
            elif r < 0.05:
                email = f"serviceAccount:{gid}@{gproject}.iam.gserviceaccount.com"
            elif r < 0.055:
                email = f"{gid}@{gproject}.iam.gserviceacount.com"
            else:
                email = f"{gid}@{gproject}.iam.gserviceaccount.com"
            k.update(gsa=email, gproject=gproject, bind=rng.random() < 0.7)
        return k

    def next_app(self, cat: str) -> dict:
        i = self.ptr[cat]
        while i < len(self.apps) and self.apps[i]["helm"]:
            i += 1
        if i >= len(self.apps):
            self.apps.append(self.new_app())
            i = len(self.apps) - 1
        self.ptr[cat] = i + 1
        return self.apps[i]

    # ----------------------------------------------------------------- output
    def _plan_big_streams(self) -> None:
        if self.target < 40 * MB:
            return
        budget = int(self.target * 0.15)
        sizes = []
        while budget >= 5 * MB and len(sizes) < 12:
            s = min(budget, self.rng.randint(5 * MB, 20 * MB))
            sizes.append(s)
            budget -= s
        n = len(sizes)
        self.big_plan = [(self.target * (i + 1) // (n + 1), s) for i, s in enumerate(sizes)]

    def _maybe_big(self) -> None:
        if self.big is not None:
            if self.big[2] >= self.big[3]:
                self.big[0].close()
                self.big = None
            return
        if self.big_plan and self.total >= self.big_plan[0][0]:
            _, size = self.big_plan.pop(0)
            rel = self.relpath(f"bundles/{self.rng.choice(['platform', 'cluster', 'fleet', 'all'])}-"
                               f"{self.rng.choice(['prod', 'staging', 'eu', 'us'])}-rendered.yaml")
            full = os.path.join(self.out, rel)
            os.makedirs(os.path.dirname(full), exist_ok=True)
            self.big = [open(full, "w", encoding="ascii", newline="\n", buffering=1 << 20), rel, 0, size, 0]
            self.files += 1

    def account(self, docs: list) -> None:
        for cat, kind, _src, text in docs:
            n = len(text)
            self.cat_bytes[cat] += n
            self.kinds[kind] = self.kinds.get(kind, 0) + 1
        self.docs += len(docs)

    def emit(self, rel: str, docs: list, helm: str | None = None) -> None:
        """docs: [(category, kind, template name, text)]; helm: chart name for # Source:."""
        self.account(docs)
        if self.big is not None:
            parts = []
            for _cat, _kind, src, text in docs:
                parts.append(f"---\n# Source: {helm or 'platform'}/templates/{src}\n{text}")
            out = "".join(parts)
            self.big[0].write(out)
            self.big[2] += len(out)
            self.total += len(out)
            return
        rng = self.rng
        if helm:
            out = "".join(f"---\n# Source: {helm}/templates/{src}\n{text}" for _c, _k, src, text in docs)
        else:
            out = ("---\n" if rng.random() < 0.3 else "") + "---\n".join(d[3] for d in docs)
        rel = self.relpath(rel)
        full = os.path.join(self.out, rel)
        d = os.path.dirname(full)
        if d not in self.dirs:
            os.makedirs(d, exist_ok=True)
            self.dirs.add(d)
        with open(full, "wb") as f:
            f.write(out.encode("ascii"))
        self.files += 1
        self.total += len(out)

    # ----------------------------------------------------------------- common pieces
    def labels(self, app: dict, component: str, ind: int) -> str:
        p = " " * ind
        if app["helm"]:
            return (f"{p}helm.sh/chart: {app['chart']}-{app['ver']}\n"
                    f"{p}app.kubernetes.io/name: {app['chart']}\n"
                    f"{p}app.kubernetes.io/instance: {app['release']}\n"
                    f"{p}app.kubernetes.io/version: \"{app['ver']}\"\n"
                    f"{p}app.kubernetes.io/component: {component}\n"
                    f"{p}app.kubernetes.io/managed-by: Helm\n")
        out = f"{p}app: {app['name']}\n{p}component: {component}\n"
        if self.rng.random() < 0.5:
            out += f"{p}team: {app['team']['name']}\n{p}app.kubernetes.io/part-of: {app['name']}\n"
        return out

    def meta(self, app: dict | None, name: str, ns: str | None, component: str = "main",
             annotations: str = "") -> str:
        out = f"metadata:\n  name: {name}\n"
        if ns:
            out += f"  namespace: {ns}\n"
        if app is not None:
            out += "  labels:\n" + self.labels(app, component, 4)
        if annotations:
            out += "  annotations:\n" + annotations
        return out

    # ----------------------------------------------------------------- CRDs
    def _desc(self, lines: list, p: str) -> None:
        r = self.rng.random()
        if r < 0.15:
            return
        if r < 0.75:
            lines.append(f"{p}description: {self.fast_sentence()}")
        else:
            lines.append(f"{p}description: |-")
            for _ in range(self.rng.randint(2, 7)):
                lines.append(f"{p}  {self.fast_sentence()}")

    def _schema(self, lines: list, depth: int, maxdepth: int, ind: int) -> None:
        rng = self.rng
        p = " " * ind
        self._desc(lines, p)
        r = rng.random()
        if depth >= maxdepth or r < 0.42 or len(lines) > self._line_cap:
            t = rng.random()
            if t < 0.55:
                lines.append(f"{p}type: string")
                u = rng.random()
                if u < 0.15:
                    lines.append(f"{p}enum:")
                    for w in rng.sample(WORDS, rng.randint(2, 6)):
                        lines.append(f"{p}- {w.capitalize()}")
                elif u < 0.22:
                    lines.append(f"{p}pattern: ^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))$")
                elif u < 0.3:
                    lines.append(f"{p}format: {rng.choice(['date-time', 'byte', 'uri', 'duration'])}")
            elif t < 0.75:
                lines.append(f"{p}format: {rng.choice(['int32', 'int64'])}")
                lines.append(f"{p}type: integer")
                if rng.random() < 0.3:
                    lines.append(f"{p}minimum: {rng.randint(0, 1)}")
            elif t < 0.88:
                lines.append(f"{p}type: boolean")
            elif t < 0.95:
                lines += [f"{p}anyOf:", f"{p}- type: integer", f"{p}- type: string",
                          f"{p}x-kubernetes-int-or-string: true"]
            else:
                lines += [f"{p}type: object", f"{p}x-kubernetes-preserve-unknown-fields: true"]
        elif r < 0.58:
            lines.append(f"{p}items:")
            self._schema(lines, depth + 1, maxdepth, ind + 2)
            lines.append(f"{p}type: array")
            if rng.random() < 0.3:
                lines.append(f"{p}x-kubernetes-list-type: atomic")
        elif r < 0.66:
            lines.append(f"{p}additionalProperties:")
            self._schema(lines, depth + 2, maxdepth, ind + 2)
            lines.append(f"{p}type: object")
        else:
            lines.append(f"{p}properties:")
            names = sorted({camel(self.w(), self.w()) for _ in range(rng.randint(2, 9))})
            for n in names:
                lines.append(f"{p}  {n}:")
                self._schema(lines, depth + 1, maxdepth, ind + 4)
            if rng.random() < 0.3:
                lines.append(f"{p}required:")
                lines.append(f"{p}- {names[0]}")
            lines.append(f"{p}type: object")
            if rng.random() < 0.1:
                lines.append(f"{p}x-kubernetes-map-type: atomic")

    def _build_schema_pool(self) -> None:
        """Reusable property subtrees (value schemas at indent 0), 1-40 KB each."""
        self.sentences = [self.sentence(4, 18) for _ in range(3000)]
        self.pool: list[list[str]] = []
        self.pool_len: list[int] = []
        for _ in range(64):
            self._line_cap = int(self.rng.paretovariate(1.0) * 60)  # 60 lines .. a few thousand
            self._line_cap = min(self._line_cap, 1500)
            lines: list[str] = []
            # always an object at the top, deep inside
            lines.append(f"description: {self.sentence()}")
            lines.append("properties:")
            for n in sorted({camel(self.w(), self.w())
                             for _ in range(self.rng.randint(3, 10))}):
                lines.append(f"  {n}:")
                self._schema(lines, 1, self.rng.randint(4, 9), 4)
            lines.append("type: object")
            self.pool.append(lines)
            self.pool_len.append(sum(len(x) + 1 for x in lines))

    def _indented(self, idx: int, ind: int) -> str:
        key = (idx, ind)
        s = self._indent_cache.get(key)
        if s is None:
            p = " " * ind
            s = indent(p, self.pool[idx])
            self._indent_cache[key] = s
        return s

    def crd_doc(self, size: int) -> tuple[str, str]:
        rng = self.rng
        group = rng.choice(CRD_GROUPS)
        while True:
            kind = camel(self.w(), self.w())
            kind = kind[0].upper() + kind[1:]
            plural = kind.lower() + "s"
            if f"{plural}.{group}" not in self.crd_names:
                break
            group = rng.choice(CRD_GROUPS)
        self.crd_names.add(f"{plural}.{group}")
        versions = rng.choice([["v1"], ["v1alpha1", "v1"], ["v1beta1", "v1"], ["v1alpha1", "v1beta1", "v1"]])
        per_version = max(8000, size // len(versions))
        # pick subtrees for spec and status, shared by every version (as real CRDs do)
        spec_props: list[tuple[str, int]] = []
        acc = 0
        names_used = set()
        while acc < per_version:
            idx = rng.randrange(len(self.pool))
            n = camel(self.w(), self.w())
            if n in names_used or (spec_props and acc + self.pool_len[idx] > 1.1 * per_version):
                if len(names_used) > 200:
                    break
                names_used.add(n)
                continue
            names_used.add(n)
            spec_props.append((n, idx))
            acc += self.pool_len[idx] + 18 * len(self.pool[idx])
        status_n = max(1, len(spec_props) // 5)
        status_props, spec_props = spec_props[:status_n], spec_props[status_n:]
        if not spec_props:
            spec_props = status_props
        parts = [
            "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n"
            "  annotations:\n    controller-gen.kubebuilder.io/version: v0.14.0\n",
            f"  name: {plural}.{group}\nspec:\n  group: {group}\n  names:\n"
            f"    categories:\n    - all\n    kind: {kind}\n    listKind: {kind}List\n"
            f"    plural: {plural}\n    singular: {kind.lower()}\n"
            f"  scope: {rng.choice(['Namespaced', 'Namespaced', 'Cluster'])}\n  versions:\n",
        ]
        for i, v in enumerate(versions):
            parts.append(
                f"  - additionalPrinterColumns:\n"
                f"    - jsonPath: .status.conditions[?(@.type==\"Ready\")].status\n"
                f"      name: Ready\n      type: string\n"
                f"    - jsonPath: .metadata.creationTimestamp\n      name: Age\n      type: date\n"
                f"    name: {v}\n    schema:\n      openAPIV3Schema:\n"
                f"        description: {kind} is the Schema for the {plural} API.\n"
                f"        properties:\n          apiVersion:\n            description: |-\n"
                f"              APIVersion defines the versioned schema of this representation of an object.\n"
                f"              Servers should convert recognized schemas to the latest internal value.\n"
                f"            type: string\n          kind:\n            description: |-\n"
                f"              Kind is a string value representing the REST resource this object represents.\n"
                f"            type: string\n          metadata:\n            type: object\n"
                f"          spec:\n            description: {self.sentence()}\n            properties:\n")
            for n, idx in spec_props:
                parts.append(f"              {n}:\n")
                parts.append(self._indented(idx, 16))
            parts.append(f"            required:\n            - {spec_props[0][0]}\n            type: object\n"
                         f"          status:\n            description: {self.sentence()}\n"
                         f"            properties:\n")
            for n, idx in status_props:
                parts.append(f"              {n}:\n")
                parts.append(self._indented(idx, 16))
            parts.append(f"            type: object\n        type: object\n"
                         f"    served: true\n    storage: {'true' if i == len(versions) - 1 else 'false'}\n"
                         f"    subresources:\n      status: {{}}\n")
        return kind, "".join(parts)

    def unit_crd(self) -> None:
        rng = self.rng
        remaining = self.target - self.total
        if rng.random() < 0.3 and remaining > 400_000:
            # an operator's crds.yaml bundle
            op = rng.choice(["prometheus-operator", "argo-cd", "cert-manager", "strimzi", "keda",
                             "external-secrets", "velero", "flux", "istio", "tekton"])
            docs = []
            for _ in range(rng.randint(2, 5)):
                kind, text = self.crd_doc(rng.randint(50_000, 300_000))
                docs.append(("crd", "CustomResourceDefinition", f"crds/{kind.lower()}.yaml", text))
            self.emit(f"platform/operators/{op}/crds.yaml", docs)
        else:
            size = min(rng.randint(50_000, 300_000), max(50_000, remaining))
            kind, text = self.crd_doc(size)
            group = text.split("  group: ", 1)[1].split("\n", 1)[0]
            self.emit(f"platform/crds/{group}/{kind.lower()}.yaml",
                      [("crd", "CustomResourceDefinition", f"crds/{kind.lower()}.yaml", text)])

    # ----------------------------------------------------------------- config payloads
    def _build_text_pools(self) -> None:
        rng = self.rng
        self.conf_lines = []
        for _ in range(400):
            r = rng.random()
            a, b = self.w(), self.w()
            if r < 0.3:
                self.conf_lines.append(f"{a}.{b}.{self.w()}={rng.randint(0, 100000)}")
            elif r < 0.5:
                self.conf_lines.append(f"{a}_{b}: {self.w()}-{rng.randint(1, 999)}")
            elif r < 0.65:
                self.conf_lines.append(f"# {self.sentence(4, 12)}")
            elif r < 0.8:
                self.conf_lines.append(f"    {a}_{b} {rng.randint(1, 65535)};")
            else:
                self.conf_lines.append(f"  - {a}-{b}.{rng.choice(['svc', 'internal', 'example.com'])}:{rng.randint(80, 9999)}")
        self.panel_tpl = (
            '    {{\n      "id": {id},\n      "type": "{type}",\n      "title": "{title}",\n'
            '      "gridPos": {{"h": {h}, "w": {w}, "x": {x}, "y": {y}}},\n'
            '      "datasource": {{"type": "prometheus", "uid": "${{datasource}}"}},\n'
            '      "targets": [\n        {{\n          "expr": "sum(rate({metric}{{namespace=\\"$namespace\\", '
            'job=\\"{job}\\"}}[5m])) by ({by})",\n          "legendFormat": "{{{{{by}}}}}",\n'
            '          "refId": "A"\n        }}\n      ],\n'
            '      "fieldConfig": {{\n        "defaults": {{\n          "unit": "{unit}",\n'
            '          "thresholds": {{"mode": "absolute", "steps": [{{"color": "green", "value": null}}, '
            '{{"color": "red", "value": {thr}}}]}}\n        }},\n        "overrides": []\n      }},\n'
            '      "options": {{"legend": {{"displayMode": "table", "placement": "bottom"}}, '
            '"tooltip": {{"mode": "multi"}}}}\n    }}')

    def _build_env_pool(self) -> None:
        rng = self.rng
        self.env_cache: dict[tuple[int, str], str] = {}
        self.env_pool = []
        for _ in range(1000):
            k = f"{self.w().upper()}_{self.w().upper()}"
            r = rng.random()
            if r < 0.6:
                e = [f"- name: {k}", f"  value: \"{self.w()}-{rng.randint(0, 999)}\""]
            elif r < 0.75:
                e = [f"- name: {k}", "  valueFrom:", "    fieldRef:",
                     f"      fieldPath: {rng.choice(['metadata.name', 'metadata.namespace', 'status.podIP', 'spec.nodeName'])}"]
            elif r < 0.9:
                e = [f"- name: {k}", "  valueFrom:", "    secretKeyRef:", "      name: @BASE@-creds",
                     f"      key: {self.w()}"]
            else:
                e = [f"- name: {k}", "  valueFrom:", "    configMapKeyRef:", "      name: @BASE@-config",
                     f"      key: {self.w()}", "      optional: true"]
            self.env_pool.append(e)

    def payload_conf(self, size: int, p: str, title: str) -> str:
        # the first line sets the block's indentation: never an indented pool line
        n = max(1, size // 28)
        return indent(p, [f"# {title}"] + self.rng.choices(self.conf_lines, k=n))

    def payload_dashboard(self, size: int, p: str, title: str) -> str:
        rng = self.rng
        panels = []
        acc = 0
        i = 0
        while acc < size:
            s = self.panel_tpl.format(
                id=i + 1, type=rng.choice(["timeseries", "stat", "gauge", "table"]),
                title=f"{self.w().capitalize()} {self.w()} {self.w()}",
                h=rng.choice([4, 8, 9]), w=rng.choice([6, 8, 12, 24]), x=(i % 4) * 6, y=(i // 4) * 8,
                metric=f"{self.w()}_{self.w()}_total", job=title,
                by=rng.choice(["pod", "instance", "code", "method", "le"]),
                unit=rng.choice(["reqps", "s", "bytes", "percentunit", "short"]), thr=rng.randint(1, 100))
            panels.append(s)
            acc += len(s)
            i += 1
        body = ('{\n  "annotations": {"list": []},\n  "editable": true,\n'
                f'  "title": "{title}",\n  "uid": "{title[:20]}",\n  "schemaVersion": 39,\n'
                '  "panels": [\n' + ",\n".join(panels) + "\n  ],\n"
                '  "templating": {"list": [{"name": "namespace", "type": "query"}]},\n'
                '  "time": {"from": "now-6h", "to": "now"}\n}')
        return indent(p, body.split("\n"))

    def payload_appjson(self, p: str) -> str:
        rng = self.rng
        items = ",\n".join(
            f'  "{camel(self.w(), self.w())}": '
            + rng.choice([f'"{self.w()}"', str(rng.randint(0, 9999)), "true", "false",
                          f'{{"enabled": true, "url": "https://{self.w()}.example.com/{self.w()}"}}'])
            for _ in range(rng.randint(5, 40)))
        return indent(p, ("{\n" + items + "\n}").split("\n"))

    def pem(self, p: str, nbytes: int) -> str:
        b = base64.b64encode(self.rng.randbytes(nbytes)).decode()
        lines = [b[i:i + 64] for i in range(0, len(b), 64)]
        return (f"{p}-----BEGIN CERTIFICATE-----\n" + "".join(f"{p}{x}\n" for x in lines)
                + f"{p}-----END CERTIFICATE-----\n")

    def configmap(self, app: dict, size: int) -> tuple[str, str, str]:
        rng = self.rng
        name = f"{app['base']}-{rng.choice(['config', 'settings', 'env', 'dashboards', 'rules', 'scripts'])}"
        data = []
        keys: dict[str, int] = {}

        def key(k: str) -> str:
            n = keys.get(k, 0)
            keys[k] = n + 1
            return k if n == 0 else f"{n}-{k}"

        acc = 0
        while acc < size:
            r = rng.random()
            if r < 0.25 and size > 20000:
                chunk = min(size - acc, rng.randint(20_000, 200_000))
                k = key(f"{self.w()}-{self.w()}-dashboard.json")
                body = self.payload_dashboard(chunk, "    ", f"{app['name']}-{self.w()}")
                data.append(f"  {k}: |\n{body}")
            elif r < 0.45:
                data.append(f"  {key('config.json')}: |\n{self.payload_appjson('    ')}")
            elif r < 0.75:
                k = key(rng.choice(["application.properties", "nginx.conf", "app.yaml", "prometheus.yml",
                                    "logback.xml.tpl", "settings.ini", "entrypoint.sh"]))
                data.append(f"  {k}: |\n{self.payload_conf(min(size - acc, rng.randint(500, 30_000)) + 30, '    ', k)}")
            else:
                for _ in range(rng.randint(3, 15)):
                    k = key(f"{self.w().upper()}_{self.w().upper()}")
                    data.append(f"  {k}: \"{self.w()}-{rng.randint(0, 999)}\"\n")
            acc += len(data[-1])
        out = data
        text = ("apiVersion: v1\nkind: ConfigMap\n" + self.meta(app, name, app["ns"], "config")
                + "data:\n" + "".join(out))
        return "ConfigMap", "configmap.yaml", text

    def secret(self, app: dict, size: int) -> tuple[str, str, str]:
        rng = self.rng
        name = f"{app['base']}-{rng.choice(['tls', 'creds', 'db', 'secrets', 'keys'])}"
        if rng.random() < 0.4:
            body = ("type: kubernetes.io/tls\nstringData:\n  tls.crt: |\n" + self.pem("    ", min(size, 1500))
                    + self.pem("    ", 1200) + "  tls.key: |\n" + self.pem("    ", 1200))
        else:
            keys = []
            acc = 0
            i = 0
            while acc < size:
                n = rng.choice([16, 32, 48, 64, 256, 2048, 8192])
                v = base64.b64encode(rng.randbytes(n)).decode()
                keys.append(f"  {self.w()}-{self.w()}-{i}: {v}\n")
                acc += len(keys[-1])
                i += 1
            body = "type: Opaque\ndata:\n" + "".join(keys)
        return "Secret", "secret.yaml", "apiVersion: v1\nkind: Secret\n" + self.meta(app, name, app["ns"], "secret") + body

    def unit_config(self) -> None:
        rng = self.rng
        app = self.next_app("config")
        docs = []
        r = rng.random()
        size = int(rng.paretovariate(1.2) * 4000)
        size = min(size, 400_000, max(2000, self.target - self.total))
        if r < 0.65:
            kind, src, text = self.configmap(app, size)
            docs.append(("config", kind, src, text))
        elif r < 0.85:
            kind, src, text = self.secret(app, size)
            docs.append(("config", kind, src, text))
        else:
            for _ in range(rng.randint(2, 4)):
                kind, src, text = (self.configmap if rng.random() < 0.6 else self.secret)(app, size // 3)
                docs.append(("config", kind, src, text))
        ext = ".yml" if rng.random() < 0.1 else ".yaml"
        fname = docs[0][2].replace(".yaml", ext) if len(docs) == 1 else f"config{ext}"
        self.emit(app["dir"] + fname, docs)

    # ----------------------------------------------------------------- workloads
    def container(self, app: dict, cname: str, wi: bool, s: str, p: str) -> str:
        """One container as a sequence item at indent p; s is the sequence indent."""
        rng = self.rng
        reg = rng.choice(REGISTRIES).format(p=app["project"])
        q = p + s + "  "  # key indent inside the item
        out = [f"{p}{s}- name: {cname}\n{q}image: \"{reg}/{app['name']}-{cname}:{app['ver']}\"\n"
               f"{q}imagePullPolicy: {rng.choice(['IfNotPresent', 'Always'])}\n"]
        if rng.random() < 0.5:
            out.append(f"{q}args:\n" + "".join(
                f"{q}{s}- --{self.w()}-{self.w()}={rng.randint(0, 500)}\n"
                for _ in range(rng.randint(1, 6))))
        out.append(f"{q}ports:\n{q}{s}- name: http\n{q}{s}  containerPort: {app['port']}\n{q}{s}  protocol: TCP\n")
        if rng.random() < 0.4:
            out.append(f"{q}{s}- name: metrics\n{q}{s}  containerPort: 9090\n")
        pfx = q + s
        r = self._r
        env = [f"{q}env:\n"]
        for _ in range(3 + int(r() * 23)):
            i = int(r() * len(self.env_pool))
            e = self.env_cache.get((i, pfx))
            if e is None:
                e = self.env_cache[(i, pfx)] = indent(pfx, self.env_pool[i])
            env.append(e)
        if wi and rng.random() < 0.02:
            env.append(f"{q}{s}- name: GOOGLE_APPLICATION_CREDENTIALS\n{q}{s}  value: /var/secrets/google/key.json\n")
        out.append("".join(env).replace("@BASE@", app["base"]))
        if rng.random() < 0.4:
            out.append(f"{q}envFrom:\n{q}{s}- configMapRef:\n{q}{s}    name: {app['base']}-env\n")
        cpu = rng.choice(["50m", "100m", "250m", "500m", "1"])
        mem = rng.choice(["64Mi", "128Mi", "256Mi", "512Mi", "1Gi", "2Gi"])
        if rng.random() < 0.5:
            out.append(f"{q}resources:\n{q}  requests: {{cpu: {cpu}, memory: {mem}}}\n{q}  limits: {{memory: {mem}}}\n")
        else:
            out.append(f"{q}resources:\n{q}  requests:\n{q}    cpu: {cpu}\n{q}    memory: {mem}\n"
                       f"{q}  limits:\n{q}    cpu: \"2\"\n{q}    memory: {mem}\n")
        for probe in ("livenessProbe", "readinessProbe", "startupProbe"):
            if rng.random() < 0.7:
                if rng.random() < 0.8:
                    how = f"{q}  httpGet:\n{q}    path: /{rng.choice(['healthz', 'readyz', 'livez', 'health'])}\n{q}    port: http\n"
                else:
                    how = f"{q}  exec:\n{q}    command: [\"/bin/sh\", \"-c\", \"test -f /tmp/healthy\"]\n"
                out.append(f"{q}{probe}:\n{how}{q}  initialDelaySeconds: {rng.randint(0, 30)}\n"
                           f"{q}  periodSeconds: {rng.choice([5, 10, 15, 30])}\n{q}  failureThreshold: 3\n")
        out.append(f"{q}volumeMounts:\n{q}{s}- name: config\n{q}{s}  mountPath: /etc/{app['name']}\n{q}{s}  readOnly: true\n"
                   f"{q}{s}- name: tmp\n{q}{s}  mountPath: /tmp\n")
        out.append(f"{q}securityContext:\n{q}  allowPrivilegeEscalation: false\n{q}  readOnlyRootFilesystem: true\n"
                   f"{q}  runAsNonRoot: true\n{q}  capabilities:\n{q}    drop: [\"ALL\"]\n")
        return "".join(out)

    def pod_spec(self, app: dict, kind: str, ind: int) -> str:
        """A pod spec's keys at indent `ind`."""
        rng = self.rng
        p = " " * ind
        s = app["seq"]
        out = []
        ksa = app["ksas"][0] if len(app["ksas"]) == 1 or rng.random() < 0.6 else rng.choice(app["ksas"][1:])
        wi_ksa = bool(ksa["gsa"])
        host = False
        r = rng.random()
        if kind == "DaemonSet":
            host = rng.random() < 0.6
            if host and rng.random() > 0.15:
                sa = f"{app['base']}-node-agent"  # a dedicated KSA without Workload Identity
                wi_ksa = False
            else:
                sa = ksa["name"]
        elif r < 0.12:
            sa = None  # runs as "default"
            wi_ksa = app["default_annotated"]
        elif r < 0.15:
            sa = f"{app['base']}-{rng.choice(['runner', 'sa', 'svc'])}"  # defined elsewhere
            wi_ksa = False
        else:
            sa = ksa["name"]
        if kind != "DaemonSet" and rng.random() < 0.01:
            host = True
        if sa:
            if rng.random() < 0.02:
                out.append(f"{p}serviceAccount: {sa}\n")
            out.append(f"{p}serviceAccountName: {sa}\n")
        if rng.random() < 0.2:
            out.append(f"{p}automountServiceAccountToken: {rng.choice(['true', 'false'])}\n")
        if host:
            out.append(f"{p}hostNetwork: true\n{p}dnsPolicy: ClusterFirstWithHostNet\n")
        if kind in ("Job", "CronJob"):
            out.append(f"{p}restartPolicy: {rng.choice(['OnFailure', 'Never'])}\n")
        if rng.random() < 0.5:
            out.append(f"{p}securityContext:\n{p}  runAsUser: {rng.choice([1000, 65532, 10001])}\n"
                       f"{p}  fsGroup: 2000\n{p}  seccompProfile:\n{p}    type: RuntimeDefault\n")
        if rng.random() < 0.3:
            out.append(f"{p}imagePullSecrets:\n{p}{s}- name: regcred\n")
        if rng.random() < 0.3:
            out.append(f"{p}initContainers:\n" + self.container(app, "init", wi_ksa, s, p))
        out.append(f"{p}containers:\n")
        out.append(self.container(app, rng.choice(["app", "api", "main", "server", app["name"].split("-")[-1]]),
                                  wi_ksa, s, p))
        if rng.random() < 0.25:
            out.append(self.container(app, rng.choice(["sidecar", "proxy", "exporter"]), wi_ksa, s, p))
        out.append(f"{p}volumes:\n{p}{s}- name: config\n{p}{s}  configMap:\n{p}{s}    name: {app['base']}-config\n"
                   f"{p}{s}- name: tmp\n{p}{s}  emptyDir: {{}}\n")
        if rng.random() < 0.3:
            out.append(f"{p}{s}- name: certs\n{p}{s}  secret:\n{p}{s}    secretName: {app['base']}-tls\n"
                       f"{p}{s}    defaultMode: 0420\n")
        if wi_ksa and not host and rng.random() < 0.25:
            v = '"true"' if rng.random() < 0.95 else "true"
            out.append(f"{p}nodeSelector:\n{p}  iam.gke.io/gke-metadata-server-enabled: {v}\n")
        elif rng.random() < 0.2:
            out.append(f"{p}nodeSelector:\n{p}  cloud.google.com/gke-nodepool: {rng.choice(['default-pool', 'highmem', 'spot'])}\n")
        if rng.random() < 0.5:
            out.append(
                f"{p}affinity:\n{p}  podAntiAffinity:\n{p}    preferredDuringSchedulingIgnoredDuringExecution:\n"
                f"{p}    {s}- weight: 100\n{p}    {s}  podAffinityTerm:\n{p}    {s}    topologyKey: kubernetes.io/hostname\n"
                f"{p}    {s}    labelSelector:\n{p}    {s}      matchLabels:\n{p}    {s}        app: {app['name']}\n")
            if rng.random() < 0.4:
                out.append(
                    f"{p}  nodeAffinity:\n{p}    requiredDuringSchedulingIgnoredDuringExecution:\n"
                    f"{p}      nodeSelectorTerms:\n{p}      {s}- matchExpressions:\n"
                    f"{p}      {s}  {s}- key: kubernetes.io/arch\n{p}      {s}  {s}  operator: In\n"
                    f"{p}      {s}  {s}  values: [amd64, arm64]\n")
        if rng.random() < 0.3:
            out.append(f"{p}tolerations:\n{p}{s}- key: {rng.choice(['dedicated', 'cloud.google.com/gke-spot'])}\n"
                       f"{p}{s}  operator: Equal\n{p}{s}  value: \"true\"\n{p}{s}  effect: NoSchedule\n")
        if rng.random() < 0.2:
            out.append(f"{p}topologySpreadConstraints:\n{p}{s}- maxSkew: 1\n{p}{s}  topologyKey: topology.kubernetes.io/zone\n"
                       f"{p}{s}  whenUnsatisfiable: ScheduleAnyway\n{p}{s}  labelSelector:\n{p}{s}    matchLabels: {{app: {app['name']}}}\n")
        return "".join(out)

    def template(self, app: dict, kind: str, ind: int, component: str) -> str:
        p = " " * ind
        ann = ""
        if self.rng.random() < 0.3:
            ann = f"{p}  annotations:\n{p}    prometheus.io/scrape: \"true\"\n{p}    prometheus.io/port: \"9090\"\n"
            if self.rng.random() < 0.3:
                ann += f"{p}    checksum/config: {self.rng.randbytes(32).hex()}\n"
        return (f"{p}template:\n{p}  metadata:\n{p}    labels:\n" + self.labels(app, component, ind + 6) + ann
                + f"{p}  spec:\n" + self.pod_spec(app, kind, ind + 4))

    def workload(self, app: dict, kind: str) -> tuple[str, str]:
        rng = self.rng
        comp = {"Job": "migrate", "CronJob": "cron", "DaemonSet": "node-agent"}.get(kind, rng.choice(["server", "worker", "main"]))
        name = app["base"] if kind in ("Deployment", "StatefulSet") else f"{app['base']}-{comp}"
        api = {"Job": "batch/v1", "CronJob": "batch/v1", "Pod": "v1"}.get(kind, "apps/v1")
        head = f"apiVersion: {api}\nkind: {kind}\n" + self.meta(app, name, app["ns"], comp)
        sel = f"  selector:\n    matchLabels:\n      app: {app['name']}\n      component: {comp}\n"
        if kind == "Pod":
            return kind, head + "spec:\n" + self.pod_spec(app, kind, 2)
        if kind == "Job":
            return kind, head + f"spec:\n  backoffLimit: {rng.randint(0, 6)}\n  ttlSecondsAfterFinished: 3600\n" + self.template(app, kind, 2, comp)
        if kind == "CronJob":
            return kind, (head + f"spec:\n  schedule: \"{rng.randint(0, 59)} {rng.randint(0, 23)} * * *\"\n"
                          f"  concurrencyPolicy: Forbid\n  jobTemplate:\n    spec:\n      backoffLimit: 2\n"
                          + self.template(app, kind, 6, comp))
        body = f"spec:\n"
        if kind in ("Deployment", "StatefulSet", "ReplicaSet"):
            body += f"  replicas: {rng.choice([1, 2, 3, 3, 5, 10])}\n"
        body += sel
        if kind == "Deployment":
            body += "  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 25%\n      maxUnavailable: 0\n"
        if kind == "StatefulSet":
            body += f"  serviceName: {name}-headless\n  podManagementPolicy: Parallel\n"
        body += self.template(app, kind, 2, comp)
        if kind == "StatefulSet":
            body += (f"  volumeClaimTemplates:\n  - metadata:\n      name: data\n    spec:\n"
                     f"      accessModes: [ReadWriteOnce]\n      storageClassName: premium-rwo\n"
                     f"      resources:\n        requests:\n          storage: {rng.choice(['10Gi', '50Gi', '200Gi'])}\n")
        return kind, head + body

    def pick_kind(self) -> str:
        r = self.rng.random()
        for k, c in (("Deployment", 0.5), ("StatefulSet", 0.62), ("DaemonSet", 0.7), ("Job", 0.78),
                     ("CronJob", 0.88), ("Pod", 0.94)):
            if r < c:
                return k
        return "ReplicaSet"

    def unit_workload(self) -> None:
        rng = self.rng
        if rng.random() < 0.15:
            self.unit_helm()
            return
        app = self.next_app("workload")
        docs = []
        for _ in range(rng.choice([1, 2, 2, 3])):
            kind, text = self.workload(app, self.pick_kind())
            docs.append(("workload", kind, f"{kind.lower()}.yaml", text))
        fname = f"{docs[0][1].lower()}.yaml" if len(docs) == 1 else "workloads.yaml"
        self.emit(app["dir"] + fname, docs)

    # ----------------------------------------------------------------- SA, namespace, misc
    def service_account(self, app: dict, ksa: dict) -> str:
        ann = ""
        if ksa["gsa"]:
            ann = f"    iam.gke.io/gcp-service-account: {ksa['gsa']}\n"
        return "apiVersion: v1\nkind: ServiceAccount\n" + self.meta(app, ksa["name"], app["ns"], "identity", ann)

    def misc_docs(self, app: dict, helm: bool) -> list:
        rng = self.rng
        docs = []
        ns = app["ns"]
        if ns and not helm and ns not in self.emitted_ns:
            self.emitted_ns.add(ns)
            lab = "" if rng.random() < 0.5 else f"  labels:\n    istio-injection: enabled\n"
            docs.append(("misc", "Namespace", "namespace.yaml",
                         f"apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n{lab}"))
        for ksa in app["ksas"]:
            docs.append(("misc", "ServiceAccount", "serviceaccount.yaml", self.service_account(app, ksa)))
        if app["default_annotated"] and ns:
            docs.append(("misc", "ServiceAccount", "serviceaccount.yaml",
                         "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: default\n"
                         f"  namespace: {ns}\n  annotations:\n    iam.gke.io/gcp-service-account: {app['ksas'][0]['gsa']}\n"))
        s = app["seq"]
        docs.append(("misc", "Service", "service.yaml",
                     "apiVersion: v1\nkind: Service\n" + self.meta(app, app["base"], ns, "server")
                     + f"spec:\n  type: ClusterIP\n  selector:\n    app: {app['name']}\n  ports:\n"
                       f"  {s}- name: http\n  {s}  port: 80\n  {s}  targetPort: http\n"))
        if rng.random() < 0.5:
            docs.append(("misc", "Service", "service.yaml",
                         "apiVersion: v1\nkind: Service\n" + self.meta(app, f"{app['base']}-headless", ns, "server")
                         + f"spec:\n  clusterIP: None\n  publishNotReadyAddresses: true\n  selector:\n    app: {app['name']}\n"
                           f"  ports:\n  {s}- name: metrics\n  {s}  port: 9090\n  {s}  targetPort: metrics\n"))
        if rng.random() < 0.5:
            docs.append(("misc", "Ingress", "ingress.yaml",
                         "apiVersion: networking.k8s.io/v1\nkind: Ingress\n"
                         + self.meta(app, app["base"], ns, "server",
                                     "    kubernetes.io/ingress.class: gce\n    networking.gke.io/managed-certificates: cert\n")
                         + f"spec:\n  rules:\n  - host: {app['name']}.example.com\n    http:\n      paths:\n"
                           f"      - path: /\n        pathType: Prefix\n        backend:\n          service:\n"
                           f"            name: {app['base']}\n            port:\n              number: 80\n"))
        if rng.random() < 0.4:
            egress = ""
            if rng.random() < 0.5:
                egress = ("  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n  - ports:\n"
                          "    - port: 53\n      protocol: UDP\n")
                if rng.random() < 0.7:
                    egress += "  - to:\n    - ipBlock:\n        cidr: 169.254.169.252/32\n    ports:\n    - port: 988\n      protocol: TCP\n"
            docs.append(("misc", "NetworkPolicy", "networkpolicy.yaml",
                         "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n" + self.meta(app, app["base"], ns)
                         + f"spec:\n  podSelector:\n    matchLabels:\n      app: {app['name']}\n"
                           f"  policyTypes:\n  - Ingress\n{'  - Egress' + chr(10) if egress else ''}"
                           f"  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n"
                           f"          kubernetes.io/metadata.name: ingress-nginx\n{egress}"))
        if rng.random() < 0.6 and app["ksas"]:
            docs.append(("misc", "PodDisruptionBudget", "pdb.yaml",
                         "apiVersion: policy/v1\nkind: PodDisruptionBudget\n" + self.meta(app, app["base"], ns)
                         + f"spec:\n  maxUnavailable: 1\n  selector:\n    matchLabels:\n      app: {app['name']}\n"))
        if rng.random() < 0.5:
            docs.append(("misc", "HorizontalPodAutoscaler", "hpa.yaml",
                         "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n" + self.meta(app, app["base"], ns)
                         + f"spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: {app['base']}\n"
                           f"  minReplicas: 2\n  maxReplicas: {rng.choice([5, 10, 20, 50])}\n  metrics:\n"
                           f"  - type: Resource\n    resource:\n      name: cpu\n      target:\n"
                           f"        type: Utilization\n        averageUtilization: {rng.choice([60, 70, 80])}\n"))
        if rng.random() < 0.5:
            docs.append(("misc", "Role", "role.yaml",
                         "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n" + self.meta(app, app["base"], ns)
                         + "rules:\n- apiGroups: [\"\"]\n  resources: [configmaps, secrets]\n  verbs: [get, list, watch]\n"
                           "- apiGroups: [coordination.k8s.io]\n  resources: [leases]\n  verbs: [get, create, update]\n"))
            subj_ns = f"\n    namespace: {ns}" if ns else ""
            docs.append(("misc", "RoleBinding", "rolebinding.yaml",
                         "apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n" + self.meta(app, app["base"], ns)
                         + f"roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: {app['base']}\n"
                           f"subjects:\n  - kind: ServiceAccount\n    name: {app['ksas'][0]['name']}{subj_ns}\n"))
        return docs

    def unit_misc(self) -> None:
        app = self.next_app("misc")
        docs = self.misc_docs(app, False)
        if self.rng.random() < 0.15:
            for d in docs:
                self.emit(app["dir"] + d[2], [d])
        else:
            self.emit(app["dir"] + "resources.yaml", docs)

    # ----------------------------------------------------------------- Config Connector IAM
    def kcc_docs(self, app: dict) -> list:
        docs = []
        for i, ksa in enumerate(app["ksas"]):
            if i == 0 or ksa["gsa"]:
                docs += self.kcc_for_ksa(app, ksa)
        return docs

    def kcc_for_ksa(self, app: dict, ksa: dict) -> list:
        rng = self.rng
        docs = []
        project = ksa["gproject"]
        kns = rng.choice([project, "config-control", f"{project}-iam"])
        gid = ksa["gid"]
        ann = f"  annotations:\n    cnrm.cloud.google.com/project-id: {project}\n"
        meta = lambda name: f"metadata:\n  name: {name}\n  namespace: {kns}\n{ann}"
        docs.append(("kcc", "IAMServiceAccount", "iamserviceaccount.yaml",
                     f"apiVersion: iam.cnrm.cloud.google.com/v1beta1\nkind: IAMServiceAccount\n{meta(gid)}"
                     f"spec:\n  displayName: {app['name']} workload identity\n"
                     f"  description: {self.sentence(4, 10)}\n"))
        member_ns = app["ns"] or app["name"]
        ksa_name = ksa["name"]
        if rng.random() < 0.03:
            ksa_name = ksa_name.split("-", 1)[1] if "-" in ksa_name else f"{ksa_name}-sa"  # near miss
        role = "roles/iam.workloadIdentityUser" if rng.random() > 0.02 else "roles/iam.serviceAccountTokenCreator"
        member = f"serviceAccount:{project}.svc.id.goog[{member_ns}/{ksa_name}]"
        if ksa["gsa"] and ksa["bind"] or (not ksa["gsa"] and rng.random() < 0.04):
            if rng.random() < 0.8:
                docs.append(("kcc", "IAMPolicyMember", "iampolicymember.yaml",
                             f"apiVersion: iam.cnrm.cloud.google.com/v1beta1\nkind: IAMPolicyMember\n{meta(gid + '-wi')}"
                             f"spec:\n  member: {member}\n  role: {role}\n"
                             f"  resourceRef:\n    kind: IAMServiceAccount\n    name: {gid}\n"))
            elif rng.random() < 0.5:
                docs.append(("kcc", "IAMPolicy", "iampolicy.yaml",
                             f"apiVersion: iam.cnrm.cloud.google.com/v1beta1\nkind: IAMPolicy\n{meta(gid + '-policy')}"
                             f"spec:\n  resourceRef:\n    kind: IAMServiceAccount\n    name: {gid}\n  bindings:\n"
                             f"  - role: {role}\n    members:\n    - {member}\n"
                             f"  - role: roles/iam.serviceAccountUser\n    members:\n    - group:platform-admins@example.com\n"))
            else:
                docs.append(("kcc", "IAMPartialPolicy", "iampartialpolicy.yaml",
                             f"apiVersion: iam.cnrm.cloud.google.com/v1beta1\nkind: IAMPartialPolicy\n{meta(gid + '-partial')}"
                             f"spec:\n  resourceRef:\n    kind: IAMServiceAccount\n    name: {gid}\n  bindings:\n"
                             f"  - role: {role}\n    members:\n    - member: {member}\n"))
        email = f"{gid}@{project}.iam.gserviceaccount.com"
        for i in range(rng.randint(2, 8)):
            r = rng.random()
            grant = rng.choice(ROLES)
            if r < 0.5:
                ref = f"  resourceRef:\n    kind: Project\n    external: projects/{project}\n"
            elif r < 0.8:
                ref = (f"  resourceRef:\n    apiVersion: storage.cnrm.cloud.google.com/v1beta1\n"
                       f"    kind: StorageBucket\n    name: {project}-{self.w()}-bucket\n")
            else:
                ref = (f"  resourceRef:\n    apiVersion: pubsub.cnrm.cloud.google.com/v1beta1\n"
                       f"    kind: PubSubTopic\n    name: {app['name']}-{self.w()}\n")
            if rng.random() < 0.5:
                mem = f"  memberFrom:\n    serviceAccountRef:\n      name: {gid}\n"
            else:
                mem = f"  member: serviceAccount:{email}\n"
            docs.append(("kcc", "IAMPolicyMember", "iampolicymember.yaml",
                         f"apiVersion: iam.cnrm.cloud.google.com/v1beta1\nkind: IAMPolicyMember\n"
                         f"{meta(f'{gid}-{grant.split(chr(47))[1].replace(chr(46), chr(45)).lower()}-{i}')}"
                         f"spec:\n{mem}  role: {grant}\n{ref}"))
        return docs

    def unit_kcc(self) -> None:
        app = self.next_app("kcc")
        docs = self.kcc_docs(app)
        if self.rng.random() < 0.5:
            self.emit(app["dir"] + "iam.yaml", docs)
        else:
            self.emit(f"infra/config-connector/{app['team']['name']}/{app['name']}.yaml", docs)

    # ----------------------------------------------------------------- Helm-rendered streams
    def unit_helm(self) -> None:
        rng = self.rng
        app = self.new_app(helm=True)
        docs = []
        docs += self.misc_docs(app, True)
        for _ in range(rng.randint(0, 2)):
            kind, src, text = self.configmap(app, min(300_000, int(rng.paretovariate(1.3) * 3000)))
            docs.append(("config", kind, src, text))
        if rng.random() < 0.5:
            kind, src, text = self.secret(app, 600)
            docs.append(("config", kind, src, text))
        for _ in range(rng.choice([1, 1, 2, 3])):
            kind, text = self.workload(app, self.pick_kind())
            docs.append(("workload", kind, f"{kind.lower()}.yaml", text))
        if app["wi"] and rng.random() < 0.5:
            docs += self.kcc_docs(app)[:2]
        # Helm orders by kind, roughly: ServiceAccount, Secret, ConfigMap, Role…, Service, workloads
        order = ["Namespace", "ServiceAccount", "Secret", "ConfigMap", "Role", "RoleBinding", "Service"]
        docs.sort(key=lambda d: order.index(d[1]) if d[1] in order else len(order))
        env = rng.choice(["prod", "staging", "dev"])
        rel = (f"{app['team']['name']}/rendered/{app['release']}-{app['name']}.yaml" if rng.random() < 0.6
               else f"rendered/{env}/{app['name']}.yaml")
        self.emit(rel, docs, helm=app["chart"])

    # ----------------------------------------------------------------- driver
    def run(self) -> None:
        units = {"crd": self.unit_crd, "config": self.unit_config, "workload": self.unit_workload,
                 "misc": self.unit_misc, "kcc": self.unit_kcc}
        while self.total < self.target:
            self._maybe_big()
            total = sum(self.cat_bytes.values()) + 1
            remaining = self.target - self.total
            best, best_def = None, None
            for c, frac in TARGETS.items():
                if c == "crd" and remaining < 50_000 and self.total > 0:
                    continue
                d = frac * total - self.cat_bytes[c]
                if best_def is None or d > best_def:
                    best, best_def = c, d
            units[best]()
        if self.big is not None:
            self.big[0].close()
            self.big = None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, required=True, help="approximate total size in MiB")
    ap.add_argument("--out", required=True, help="output directory (created; must be empty or a previous corpus)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--force", action="store_true", help="replace an existing corpus generated by this script")
    args = ap.parse_args()
    if args.size_mb <= 0:
        ap.error("--size-mb must be positive")
    if os.path.exists(args.out) and os.listdir(args.out):
        if args.force and os.path.exists(os.path.join(args.out, MARKER)):
            shutil.rmtree(args.out)
        else:
            ap.error(f"{args.out} is not empty (use --force to replace a corpus made by this script)")
    os.makedirs(args.out, exist_ok=True)
    t0 = time.perf_counter()
    g = Gen(args.out, int(args.size_mb * MB), args.seed)
    g.run()
    dt = time.perf_counter() - t0
    mix = "  ".join(f"{c} {100 * b / max(1, g.total):.1f}%" for c, b in g.cat_bytes.items())
    kinds = ", ".join(f"{k} {n}" for k, n in sorted(g.kinds.items(), key=lambda kv: -kv[1]))
    summary = (f"files: {g.files}\ndocuments: {g.docs}\nbytes: {g.total} ({g.total / MB:.1f} MiB)\n"
               f"seed: {args.seed}\nsize-mb: {args.size_mb:g}\nmix: {mix}\nkinds: {kinds}\n")
    with open(os.path.join(args.out, MARKER), "w", encoding="ascii") as f:
        f.write(summary)
    sys.stdout.write(summary + f"time: {dt:.2f}s ({g.total / MB / dt:.0f} MiB/s)\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
