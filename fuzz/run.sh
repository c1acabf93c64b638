#!/usr/bin/env bash
# Runs a fuzz target, seeded from testdata/ and ../shared/corpus/ (when present).
# Usage: fuzz/run.sh TARGET SECONDS [extra libFuzzer flags]
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?target: lint_stream, lint_commands, stream, prescan, line_reader or grammar}
seconds=${2:-600}
shift 2 || true
corpus="corpus/$target"
mkdir -p "$corpus" artifacts
if [ -z "$(ls -A "$corpus")" ]; then
  if [ "$target" = lint_commands ]; then
    find ../testdata \( -name '*.sh' -o -name '*.md' \) -size -64k | while read -r f; do
      cp "$f" "$corpus/$(echo "$f" | md5sum | cut -c1-16)"; done
    if [ -d ../../shared/corpus/scripts ]; then
      find ../../shared/corpus/scripts \( -name '*.sh' -o -name '*.md' \) -size -64k | sort | head -300 \
        | while read -r f; do cp "$f" "$corpus/$(echo "$f" | md5sum | cut -c1-16)"; done || true
    fi
  elif [ "$target" != grammar ]; then
    find ../testdata ../examples -name '*.yaml' -size -64k -exec cp {} "$corpus/" \; 2>/dev/null || true
    if [ -d ../../shared/corpus/wi ]; then
      # `head` closes the pipe early; with pipefail that is not a failure worth stopping for.
      find ../../shared/corpus/wi -name '*.yaml' -size -64k | sort | head -300 | while read -r f; do
        cp "$f" "$corpus/$(echo "$f" | md5sum | cut -c1-16).yaml"; done || true
    fi
  else
    grep -rhoE '(serviceAccount:|principal(Set)?://|iam\.gke\.io/gcp-service-account: )[^ "#]+' ../testdata \
      | sed 's/^iam.gke.io\/gcp-service-account: //' | sort -u | split -l 1 - "$corpus/seed-"
  fi
fi
cargo +nightly fuzz run "$target" "$corpus" -- -max_total_time="$seconds" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -artifact_prefix=artifacts/ "$@"
