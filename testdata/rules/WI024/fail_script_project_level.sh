#!/bin/bash
# workloadIdentityUser on the project: the KSA may impersonate every GSA of it.
# expect-below: WI024
gcloud projects add-iam-policy-binding acme-prod \
  --member="serviceAccount:acme-prod.svc.id.goog[payments/app]" \
  --role=roles/iam.workloadIdentityUser
