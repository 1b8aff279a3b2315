#!/usr/bin/env bash
# What isolation costs: the same batch read with worker processes (the default) and in the
# main process (CARERS_EXTRACT_IN_PROCESS=1), on a corpus of small documents made from the
# fixtures (the per-file cost shows most on small files), and one process per single file.
#
#   benches/isolation.sh                # release build, 600 documents, jobs 1 and all cores
#   DOCS=1000 BIN=target/release/carers-extract benches/isolation.sh
set -euo pipefail
cd "$(dirname "$0")/.."
DOCS=${DOCS:-600}
JOBS=${JOBS:-$(nproc)}
if [[ -z "${BIN:-}" ]]; then
  cargo build --release --quiet
  BIN=target/release/carers-extract
fi
shopt -s nullglob
FIXTURES=(fixtures/seeds/*.txt fixtures/layouts/*.txt fixtures/office/*.docx fixtures/office/*.xlsx fixtures/office/*.html fixtures/pdf/00*.pdf)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/corpus"
i=0
while [[ $i -lt $DOCS ]]; do
  for f in "${FIXTURES[@]}"; do
    [[ $i -lt $DOCS ]] || break
    cp "$f" "$WORK/corpus/doc$(printf %05d $i).${f##*.}"
    i=$((i + 1))
  done
done
now() { date +%s.%N; }
echo "isolation cost ($BIN, $DOCS files, $(nproc) cores)"
for j in 1 "$JOBS"; do
  for mode in isolated in-process; do
    env=()
    [[ $mode == in-process ]] && env=(CARERS_EXTRACT_IN_PROCESS=1)
    t0=$(now)
    env "${env[@]}" "$BIN" --no-config -q -j "$j" -f ndjson "$WORK/corpus" > "$WORK/$mode.ndjson" || true
    t1=$(now)
    awk -v n="$DOCS" -v a="$t0" -v b="$t1" -v m="$mode" -v j="$j" \
      'BEGIN { t = b - a; printf "  jobs=%-2s %-10s %7.1f files/s  %6.2f ms/file\n", j, m, n / t, 1000 * t / n }'
  done
  cmp -s "$WORK/isolated.ndjson" "$WORK/in-process.ndjson" && echo "  (same output)" || echo "  OUTPUT DIFFERS"
done
# One file per process: the worker's start is paid once per run.
SMALL=fixtures/layouts/pipe.md
for mode in isolated in-process; do
  env=()
  [[ $mode == in-process ]] && env=(CARERS_EXTRACT_IN_PROCESS=1)
  t0=$(now)
  for _ in $(seq 50); do env "${env[@]}" "$BIN" --no-config -q -f json "$SMALL" > /dev/null; done
  t1=$(now)
  awk -v a="$t0" -v b="$t1" -v m="$mode" 'BEGIN { printf "  single small file, %-10s %6.1f ms per run\n", m, 1000 * (b - a) / 50 }'
done
