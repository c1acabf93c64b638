#!/usr/bin/env bash
# Compares two wilint binaries on the same inputs, in every output format, and at one and two
# threads: any byte of difference is printed and fails the script. Use it around a refactoring
# that must not move a finding (issue #18):
#
#   bench/same_output.sh OLD_BINARY NEW_BINARY [PATH ...]
#
# PATH defaults to the bundled fixtures and examples, plus ../shared/corpus when it exists.
# EXTRA_ARGS is added to every run: `EXTRA_ARGS="--exclude *.tf --exclude *.tfvars"` compares
# only what both binaries read when the new one reads a new language.
set -euo pipefail
# EXTRA_ARGS holds globs for wilint, not for the shell.
set -f
old=$1 new=$2
shift 2
paths=("$@")
if [ ${#paths[@]} -eq 0 ]; then
  paths=(testdata/rules examples)
  [ -d ../shared/corpus ] && paths+=(../shared/corpus)
fi
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
status=0
for path in "${paths[@]}"; do
  for format in human json sarif github concise markdown; do
    for threads in 1 2; do
      # shellcheck disable=SC2206 # EXTRA_ARGS is a list of words on purpose.
      args=(check "$path" --format "$format" --fail-on never --isolated -j "$threads" ${EXTRA_ARGS:-})
      # The human summary ends with the run's duration: the one part allowed to differ.
      "$old" "${args[@]}" 2>&1 | sed -E 's/ in [0-9.]+m?s$//' >"$out/old" || true
      "$new" "${args[@]}" 2>&1 | sed -E 's/ in [0-9.]+m?s$//' >"$out/new" || true
      if ! cmp -s "$out/old" "$out/new"; then
        echo "DIFFERENT: $path --format $format -j $threads"
        diff "$out/old" "$out/new" | head -20 || true
        status=1
      fi
    done
  done
  echo "compared: $path"
done
exit $status
