#!/usr/bin/env bash
# Whole-process benchmark of `wilint check` (bash + python3 standard library only).
#
#   bench/run.sh DIR [RUNS]      time wilint on DIR with -j 1 and -j $(nproc), RUNS times each
#   bench/run.sh --sizes [RUNS]  generate (or reuse) corpora of 1, 10, 50, 100 and 500 MiB in
#                                /tmp/wilint-bench/SIZE and print a size-curve table
#
# Environment: WILINT (binary, default target/release/wilint), SIZES (default "1 10 50 100 500"),
# SEED (corpus seed, default 1), BENCH_ROOT (default /tmp/wilint-bench), WILINT_ARGS (extra
# arguments for every run, split on spaces, e.g. "--skip-irrelevant").
#
# Output of every run goes to a scratch file (wilint before 832bee9 replaced a device node such
# as /dev/null given to -o with a regular file; fixed since).
set -euo pipefail
shopt -s inherit_errexit

usage() {
    cat >&2 <<'EOF'
usage: bench/run.sh DIR [RUNS]       benchmark `wilint check DIR` with -j 1 and -j $(nproc)
       bench/run.sh --sizes [RUNS]   size curve on generated corpora in /tmp/wilint-bench/SIZE
RUNS defaults to 3. Environment: WILINT, SIZES, SEED, BENCH_ROOT, WILINT_ARGS.
EOF
    exit 2
}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WILINT="${WILINT:-$ROOT/target/release/wilint}"
NPROC="$(nproc)"
SEED="${SEED:-1}"
BENCH_ROOT="${BENCH_ROOT:-/tmp/wilint-bench}"
SIZES="${SIZES:-1 10 50 100 500}"
read -r -a EXTRA <<<"${WILINT_ARGS:-}"

[[ $# -ge 1 ]] || usage
case "$1" in -h | --help) usage ;; esac
RUNS="${2:-3}"
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "error: RUNS must be a positive integer, got '$RUNS'" >&2; usage; }
[[ $# -le 2 ]] || usage
if [[ ! -x "$WILINT" ]]; then
    echo "error: $WILINT not found; run \`cargo build --release\` in $ROOT first (or set WILINT)" >&2
    exit 2
fi
[[ -x /usr/bin/time ]] || { echo "error: /usr/bin/time (GNU time) is required for peak RSS" >&2; exit 2; }

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/wilint-run.XXXXXX")"
trap 'rm -rf "$SCRATCH"' EXIT

# cmd_for DIR T: the exact command line that is timed (stdout is redirected to a scratch file).
cmd_for() {
    printf '%s check %q --format json --fail-on never --quiet -j %s' "$WILINT" "$1" "$2"
    if [[ ${#EXTRA[@]} -gt 0 ]]; then printf ' %q' "${EXTRA[@]}"; fi
}

# corpus_stats DIR -> "bytes files" of *.yaml/*.yml/*.json, skipping hidden directories as
# wilint's walk does.
corpus_stats() {
    python3 - "$1" <<'EOF'
import os, sys
total = files = 0
for root, dirs, names in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if not d.startswith(".")]
    for n in names:
        if n.endswith((".yaml", ".yml", ".json")):
            total += os.path.getsize(os.path.join(root, n))
            files += 1
print(total, files)
EOF
}

# run_once DIR T -> appends "wall_seconds peak_rss_kb" to $SCRATCH/times; the JSON report is
# left in $SCRATCH/out.json.
run_once() {
    local dir="$1" t="$2" start end rc
    start="$(date +%s%N)"
    set +e
    /usr/bin/time -f '%e %M' -o "$SCRATCH/time" \
        "$WILINT" check "$dir" --format json --fail-on never --quiet -j "$t" "${EXTRA[@]}" \
        >"$SCRATCH/out.json" 2>"$SCRATCH/stderr"
    rc=$?
    set -e
    end="$(date +%s%N)"
    if [[ $rc -ne 0 ]]; then
        echo "error: wilint exited with $rc on $dir (-j $t):" >&2
        head -c 2000 "$SCRATCH/stderr" >&2
        tail -n 1 "$SCRATCH/time" >&2 || true
        exit 1
    fi
    # GNU time may prepend "Command exited with non-zero status"; the numbers are the last line.
    echo "$(( (end - start) / 1000 )) $(tail -n 1 "$SCRATCH/time" | cut -d' ' -f2)" >>"$SCRATCH/times"
}

# summary_of -> "documents files errors warnings notes" from $SCRATCH/out.json, and the finding
# counts per rule into $SCRATCH/rules.
summary_of() {
    python3 - "$SCRATCH/out.json" "$SCRATCH/rules" <<'EOF'
import collections, json, sys
d = json.load(open(sys.argv[1]))
s = d["summary"]
c = collections.Counter(f'{x["code"]} {x["severity"]}' for x in d["diagnostics"])
with open(sys.argv[2], "w") as f:
    f.write(", ".join(f"{k} {v}" for k, v in sorted(c.items())) + "\n")
print(s["documents"], s["files"], s["errors"], s["warnings"], s["notes"])
EOF
}

# measure DIR T RUNS -> "best_s median_s peak_rss_mib" (one untimed warm-up run first).
measure() {
    local dir="$1" t="$2" runs="$3" i
    run_once "$dir" "$t"
    : >"$SCRATCH/times"
    for ((i = 0; i < runs; i++)); do run_once "$dir" "$t"; done
    python3 - "$SCRATCH/times" <<'EOF'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1]) if line.strip()]
walls = sorted(int(r[0]) / 1e6 for r in rows)
rss = max(int(r[1]) for r in rows) / 1024
print(f"{walls[0]:.3f} {statistics.median(walls):.3f} {rss:.0f}")
EOF
}

machine() {
    local cpu rev
    cpu="$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ *//' || true)"
    rev="$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)"
    if [[ -n "$(git -C "$ROOT" status --porcelain --untracked-files=no 2>/dev/null || true)" ]]; then rev="$rev-dirty"; fi
    echo "machine: ${cpu:-unknown CPU}, $NPROC cores; $("$WILINT" --version) ($rev); load average $(cut -d' ' -f1-3 /proc/loadavg)"
}

bench_dir() {
    local dir="$1" bytes files docs wfiles err warn notes mib t best median rss _o
    [[ -d "$dir" ]] || { echo "error: $dir is not a directory" >&2; exit 2; }
    _o="$(corpus_stats "$dir")"; read -r bytes files <<<"$_o"
    [[ "$bytes" -gt 0 ]] || { echo "error: no *.yaml/*.yml/*.json under $dir" >&2; exit 2; }
    mib="$(python3 -c "print(f'{$bytes / 1048576:.1f}')")"
    machine
    echo "corpus: $dir: $files files, $bytes bytes ($mib MiB); $RUNS timed runs per -j after one warm-up run"
    echo
    echo "| corpus | MiB | files | documents | -j | best s | median s | MiB/s | documents/s | peak RSS MiB |"
    echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    local threads=(1)
    [[ "$NPROC" -gt 1 ]] && threads+=("$NPROC")
    for t in "${threads[@]}"; do
        _o="$(measure "$dir" "$t" "$RUNS")"; read -r best median rss <<<"$_o"
        _o="$(summary_of)"; read -r docs wfiles err warn notes <<<"$_o"
        python3 - "$dir" "$bytes" "$wfiles" "$docs" "$t" "$best" "$median" "$rss" <<'EOF'
import sys
d, b, f, docs, t, best, med, rss = sys.argv[1:]
b, docs, best = int(b), int(docs), float(best)
print(f"| {d} | {b / 1048576:.1f} | {f} | {docs} | {t} | {best:.3f} | {float(med):.3f} "
      f"| {b / 1048576 / best:.1f} | {docs / best:,.0f} | {rss} |")
EOF
    done
    echo
    echo "findings: $err errors, $warn warnings, $notes notes; per rule: $(cat "$SCRATCH/rules")"
    echo "command: $(cmd_for "$dir" "T") >OUT.json   (T = ${threads[*]}; timed with /usr/bin/time -f '%e %M')"
}

bench_sizes() {
    local gen="$ROOT/bench/gencorpus.py" size dir marker bytes files docs wfiles err warn notes
    local b1 m1 r1 bn mn rn _o
    mkdir -p "$BENCH_ROOT"
    machine
    echo "corpora: $BENCH_ROOT/SIZE (gencorpus.py --seed $SEED); best of $RUNS runs after a warm-up run"
    echo
    local rows=()
    for size in $SIZES; do
        dir="$BENCH_ROOT/$size"
        marker="$dir/.corpus-summary"
        if [[ -f "$marker" ]] && grep -qx "size-mb: $size" "$marker" && grep -qx "seed: $SEED" "$marker"; then
            echo "reusing $dir" >&2
        else
            if [[ -e "$dir" ]]; then
                if [[ -f "$marker" || -z "$(ls -A "$dir")" ]]; then
                    rm -rf "$dir"
                else
                    echo "error: $dir exists but is not a generated corpus; remove it" >&2
                    exit 2
                fi
            fi
            echo "generating $dir ..." >&2
            python3 "$gen" --size-mb "$size" --out "$dir" --seed "$SEED" | sed 's/^/  /' >&2
        fi
        _o="$(corpus_stats "$dir")"; read -r bytes files <<<"$_o"
        _o="$(measure "$dir" 1 "$RUNS")"; read -r b1 m1 r1 <<<"$_o"
        if [[ "$NPROC" -gt 1 ]]; then
            _o="$(measure "$dir" "$NPROC" "$RUNS")"; read -r bn mn rn <<<"$_o"
        else
            bn="$b1" rn="$r1"
        fi
        _o="$(summary_of)"; read -r docs wfiles err warn notes <<<"$_o"
        rows+=("$(python3 -c "
b, best1, bestn = $bytes, $b1, $bn
print(f'| {b / 1048576:.1f} | $wfiles | $docs | {best1:.3f} | {bestn:.3f} | {b / 1048576 / bestn:.1f} | $r1 | $rn |')")")
        echo "  $size MiB: -j 1 ${b1}s, -j $NPROC ${bn}s; $err errors, $warn warnings, $notes notes: $(cat "$SCRATCH/rules")" >&2
    done
    echo "| MiB | files | documents | wall -j 1 (s) | wall -j $NPROC (s) | MiB/s (-j $NPROC) | peak RSS -j 1 (MiB) | peak RSS -j $NPROC (MiB) |"
    echo "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
    printf '%s\n' "${rows[@]}"
    echo
    echo "command: $(cmd_for "$BENCH_ROOT/SIZE" "T") >OUT.json   (T = 1 and $NPROC)"
}

if [[ "$1" == "--sizes" ]]; then
    bench_sizes
else
    [[ "$1" != -* ]] || usage
    bench_dir "$1"
fi
