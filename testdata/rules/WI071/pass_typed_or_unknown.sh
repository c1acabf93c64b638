#!/bin/bash
# Typed members, a member the script does not state, and a command that is not a grant.
MEMBER="$(cat member.txt)"
gcloud iam service-accounts add-iam-policy-binding app@acme-prod.iam.gserviceaccount.com \
  --role=roles/iam.workloadIdentityUser \
  --member="serviceAccount:acme-prod.svc.id.goog[payments/app]"
gcloud projects add-iam-policy-binding acme-prod \
  --role=roles/storage.objectViewer --member="$MEMBER"
gcloud projects add-iam-policy-binding acme-prod \
  --role=roles/storage.objectViewer --member "user:ana@example.com"
gcloud iam service-accounts create app --display-name="app"
