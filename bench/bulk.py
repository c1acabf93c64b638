#!/usr/bin/env python3
"""Adds bulk that is not the index to a generated corpus, to show what memory grows with.

    python3 bench/bulk.py --from DIR --out OUT --copies N --keep workloads|other

Hard-links DIR (a corpus from gencorpus.py) into OUT/base, then writes N copies of some of its
documents into OUT/copyI/: `workloads` keeps the workload documents (Deployment, Pod, CronJob,
...), `other` the documents that are neither workloads nor what the index is made of
(ServiceAccounts, Namespaces, NetworkPolicies, Config Connector IAM, ConfigMaps and Secrets,
clusters): CRDs, Services, RBAC, Ingresses and the like. Documents that mention `istio` are
left out (they set run-wide facts). Deterministic: same input, same output.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil

INDEX = re.compile(
    r"^kind: (ServiceAccount|Namespace|NetworkPolicy|IAM\w*|ConfigMap|Secret|ContainerCluster"
    r"|ContainerNodePool)\s*$",
    re.M,
)
WORKLOAD = re.compile(
    r"^kind: (Pod|PodTemplate|Deployment|StatefulSet|DaemonSet|ReplicaSet|Job|CronJob"
    r"|ReplicationController)\s*$",
    re.M,
)
SEPARATOR = re.compile(r"(?m)^---\s*$")


def wanted(doc: str, keep: str) -> bool:
    if not doc.strip() or "istio" in doc or INDEX.search(doc):
        return False
    return bool(WORKLOAD.search(doc)) == (keep == "workloads")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--from", dest="source", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--keep", choices=["workloads", "other"], required=True)
    args = parser.parse_args()
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    shutil.copytree(args.source, os.path.join(args.out, "base"), copy_function=os.link)
    per_copy = 0
    for root, dirs, files in os.walk(args.source):
        dirs.sort()
        for name in sorted(files):
            if not name.endswith(".yaml"):
                continue
            path = os.path.join(root, name)
            with open(path, encoding="utf-8") as f:
                docs = [d for d in SEPARATOR.split(f.read()) if wanted(d, args.keep)]
            if not docs:
                continue
            text = "---\n".join(docs)
            per_copy += len(text)
            for i in range(1, args.copies + 1):
                target = os.path.join(args.out, f"copy{i}", os.path.relpath(path, args.source))
                os.makedirs(os.path.dirname(target), exist_ok=True)
                with open(target, "w", encoding="utf-8") as f:
                    f.write(text)
    print(f"{args.out}: base + {args.copies} x {per_copy / 2**20:.1f} MiB of {args.keep}")


if __name__ == "__main__":
    main()
