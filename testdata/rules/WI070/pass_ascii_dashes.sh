#!/bin/sh
# Only real gcloud flags are read: a dash in a comment — like this — or in another program's
# arguments is not one.
echo "— role"
gcloud iam service-accounts add-iam-policy-binding app@acme-prod.iam.gserviceaccount.com \
  --role=roles/iam.workloadIdentityUser \
  --member="serviceAccount:acme-prod.svc.id.goog[payments/app]"
gcloud container clusters describe prod --format="value(name)" -q
