#!/bin/bash
PROJECT=acme-prod
ROLE="$(cat role.txt)"
gcloud iam service-accounts add-iam-policy-binding "app@${PROJECT}.iam.gserviceaccount.com" \
  --member="serviceAccount:${PROJECT}.svc.id.goog[payments/app]" \
  --role=roles/iam.workloadIdentityUser
# A role the script does not state is no evidence.
gcloud iam service-accounts add-iam-policy-binding "app@${PROJECT}.iam.gserviceaccount.com" \
  --member="serviceAccount:${PROJECT}.svc.id.goog[payments/app]" \
  --role="$ROLE"
