#!/bin/bash
gcloud iam service-accounts add-iam-policy-binding app@acme-prod.iam.gserviceaccount.com \
  --member="serviceAccount:acme-prod.svc.id.goog[payments/app]" \
  --role=roles/iam.workloadIdentityUser
gcloud projects add-iam-policy-binding acme-prod \
  --member="serviceAccount:app@acme-prod.iam.gserviceaccount.com" \
  --role=roles/storage.objectViewer
