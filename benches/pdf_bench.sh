#!/usr/bin/env bash
# PDF speed and memory benchmark (not a test). For every PDF given (default: a generated
# 1,000-page action plan, see make_plan_pdf.py, and the PDF fixtures), runs the whole pipeline
# (`carers-extract --format json`) and `pdftotext -layout` (poppler-utils) ROUNDS times each and
# prints CPU time per run (user+sys, stable on a shared machine), pages per second, the ratio to
# pdftotext, and the peak resident memory of one run of each.
# Usage: benches/pdf_bench.sh [-r ROUNDS] [FILE.pdf ...]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=3
if [ "${1:-}" = "-r" ]; then rounds=$2; shift 2; fi
command -v pdftotext >/dev/null || { echo "needs pdftotext (apt-get install poppler-utils)"; exit 2; }
cargo build --release --quiet
bin=$PWD/target/release/carers-extract
files=("$@")
if [ ${#files[@]} -eq 0 ]; then
  mkdir -p target/bench
  [ -f target/bench/plan1000.pdf ] || python3 benches/make_plan_pdf.py target/bench/plan1000.pdf 1000 >/dev/null
  files=(target/bench/plan1000.pdf fixtures/pdf/000.pdf fixtures/pdf/000b.pdf fixtures/pdf/001.pdf fixtures/pdf/003.pdf)
fi
# CPU seconds (user+sys) of ROUNDS runs, and the peak RSS (KB) of the largest run.
measure() {
  /usr/bin/time -f "%U %S %M" bash -c 'for _ in $(seq '"$rounds"'); do "$@" > /dev/null 2>&1 || true; done' _ "$@" 2>&1 >/dev/null | tail -1
}
peak() { /usr/bin/time -f "%M" "$@" 2>&1 >/dev/null | tail -1; }
printf '%-36s %6s %10s %10s %8s %9s %9s %9s\n' file pages ours_ms pdftt_ms ratio pages/s ours_MB pdftt_MB
tot_o=0; tot_p=0
for f in "${files[@]}"; do
  pages=$(pdfinfo "$f" 2>/dev/null | awk '/^Pages:/ {print $2}')
  read -r uo so _ < <(measure "$bin" --format json "$f")
  read -r up sp _ < <(measure pdftotext -layout "$f" -)
  mo=$(peak "$bin" --format json "$f")
  mp=$(peak pdftotext -layout "$f" -)
  python3 - "$f" "${pages:-0}" "$uo" "$so" "$up" "$sp" "$mo" "$mp" "$rounds" <<'PY'
import os, sys
f, pages = sys.argv[1], int(sys.argv[2])
uo, so, up, sp, mo, mp, r = (float(x) for x in sys.argv[3:10])
o, p = (uo + so) / r, (up + sp) / r
ratio = o / p if p > 0 else float("nan")
pps = pages / o if o > 0 else float("inf")
print(f"{os.path.basename(f)[:36]:36} {pages:6d} {o*1000:10.1f} {p*1000:10.1f} {ratio:7.2f}x {pps:9.0f} {mo/1024:9.1f} {mp/1024:9.1f}")
PY
done
