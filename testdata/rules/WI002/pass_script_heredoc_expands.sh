#!/bin/bash
# The shell substitutes $GSA before kubectl reads the manifest: what it applies is unknown
# here, so the heredoc is not read as YAML.
GSA="$(terraform output -raw gsa_email)"
kubectl apply -f - <<EOF
apiVersion: v1
kind: ServiceAccount
metadata:
  name: payments-api
  namespace: payments
  annotations:
    iam.gke.io/gcp-service-account: ${GSA}
EOF
