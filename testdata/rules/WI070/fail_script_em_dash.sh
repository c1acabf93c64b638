#!/usr/bin/env bash
# A script pasted from a blog: its editor made `--` into an em dash or an en dash.
set -euo pipefail
PROJECT_ID=acme-prod
gcloud iam service-accounts add-iam-policy-binding app@acme-prod.iam.gserviceaccount.com \
  --member "serviceAccount:${PROJECT_ID}.svc.id.goog[payments/app]" \
  —role roles/iam.workloadIdentityUser # expect: WI070
gcloud container node-pools update pool-a --cluster=prod --location=europe-west1 \
  –workload-metadata=GKE_METADATA # expect: WI070
