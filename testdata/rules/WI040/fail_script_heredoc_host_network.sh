#!/bin/bash
# A setup script applies its manifests from here-documents: they are linted like files.
cat <<'EOF' | kubectl apply -f -
apiVersion: v1
kind: ServiceAccount
metadata:
  name: agent
  namespace: monitoring
  annotations:
    iam.gke.io/gcp-service-account: node-agent@acme-prod.iam.gserviceaccount.com
---
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: agent
  namespace: monitoring
spec:
  template:
    spec:
      serviceAccountName: agent
      hostNetwork: true # expect: WI040
      containers:
        - name: agent
          image: example/agent:1
EOF
