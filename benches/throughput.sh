#!/usr/bin/env bash
# Throughput of carers-extract: files/s and MB/s per output format on the fixtures, and batch
# throughput with 1 and N jobs on a generated corpus of 500+ documents (made here from the
# fixtures at bench time, in a temporary folder; never committed).
#
#   benches/throughput.sh                 # release build, corpus of 600, N = all cores
#   DOCS=1000 JOBS=8 benches/throughput.sh
#   BIN=target/debug/carers-extract benches/throughput.sh
set -euo pipefail
cd "$(dirname "$0")/.."

DOCS=${DOCS:-600}
JOBS=${JOBS:-$(nproc)}
REPEAT=${REPEAT:-20}
if [[ -z "${BIN:-}" ]]; then
  cargo build --release --quiet
  BIN=target/release/carers-extract
fi

shopt -s nullglob
FIXTURES=(fixtures/seeds/*.txt fixtures/*/*.docx fixtures/*/*.xlsx fixtures/*/*.pdf fixtures/*/*.html)
[[ ${#FIXTURES[@]} -gt 0 ]] || { echo "no fixtures found" >&2; exit 1; }

now() { date +%s.%N; }
rate() { awk -v n="$1" -v b="$2" -v t="$3" 'BEGIN { if (t <= 0) t = 1e-9; printf "%8.1f files/s %8.2f MB/s  (%d files, %.1f MB, %.2f s)\n", n / t, b / 1e6 / t, n, b / 1e6, t }'; }
bytes_of() { local s=0; for f in "$@"; do s=$((s + $(stat -c %s "$f"))); done; echo "$s"; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

echo "carers-extract throughput ($BIN, $(nproc) cores, jobs N=$JOBS)"
echo
echo "Per input format (each fixture read $REPEAT times, one process per file, --format json):"
declare -A BY_EXT
for f in "${FIXTURES[@]}"; do BY_EXT[${f##*.}]+="$f "; done
for ext in $(printf '%s\n' "${!BY_EXT[@]}" | sort); do
  read -r -a files <<< "${BY_EXT[$ext]}"
  b=$(bytes_of "${files[@]}")
  t0=$(now)
  for _ in $(seq "$REPEAT"); do for f in "${files[@]}"; do "$BIN" --no-config -q -f json "$f" > /dev/null || true; done; done
  t1=$(now)
  printf '  %-6s ' "$ext"; rate $(( ${#files[@]} * REPEAT )) $(( b * REPEAT )) "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
done

echo
echo "Per output format (all text fixtures in one process, $REPEAT runs):"
TXT=(fixtures/seeds/*.txt)
b=$(bytes_of "${TXT[@]}")
for fmt in json ndjson csv text markdown html xlsx sarif github junit; do
  t0=$(now)
  for _ in $(seq "$REPEAT"); do "$BIN" --no-config -q -j 1 -f "$fmt" -o "$WORK/out.$fmt" "${TXT[@]}" || true; done
  t1=$(now)
  printf '  %-8s ' "$fmt"; rate $(( ${#TXT[@]} * REPEAT )) $(( b * REPEAT )) "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
done

echo
echo "Batch: generating $DOCS documents from the fixtures in $WORK/corpus ..."
mkdir -p "$WORK/corpus"
i=0
while [[ $i -lt $DOCS ]]; do
  for f in "${FIXTURES[@]}"; do
    [[ $i -lt $DOCS ]] || break
    sub="$WORK/corpus/$((i % 10))"
    mkdir -p "$sub"
    ext=${f##*.}
    if [[ $ext == txt ]]; then
      # Vary the text a little so every document is distinct.
      { echo "Copy $i"; cat "$f"; } > "$sub/doc$i.txt"
    else
      cp "$f" "$sub/doc$i.$ext"
    fi
    i=$((i + 1))
  done
done
b=$(du -sb "$WORK/corpus" | cut -f1)
for j in 1 "$JOBS"; do
  t0=$(now)
  "$BIN" --no-config -q -j "$j" -f ndjson "$WORK/corpus" > /dev/null || true
  t1=$(now)
  printf '  jobs=%-3s ' "$j"; rate "$DOCS" "$b" "$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
done
