#!/usr/bin/env bash
# Bootstraps prod-eu's batch node pool and the nightly settlement's identity. Its steps were
# copied from a blog post, and it shows.
set -euo pipefail
PROJECT_ID=acme-prod
CLUSTER=prod-eu

gcloud config set project "$PROJECT_ID"
gcloud container node-pools create batch --cluster="$CLUSTER" --location=europe-west1 \
  --workload-metadata=GKE_METADATA_SERVER

gcloud iam service-accounts add-iam-policy-binding "settlement@${PROJECT_ID}.iam.gserviceaccount.com" \
  --role=roles/iam.workloadIdentityUser \
  —member "serviceAccount:${PROJECT_ID}.svc.id.goog[payments/nightly-settlement]"
