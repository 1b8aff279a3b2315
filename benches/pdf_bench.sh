#!/usr/bin/env bash
# PDF speed benchmark (not a test): the whole pipeline (`carers-extract --format json`) against
# `pdftotext -layout` (poppler-utils) on the same multi-page PDF; wall time ratio and peak memory.
# Usage: benches/pdf_bench.sh [ROUNDS] [FILE.pdf]
# Without FILE, builds a 57-page PDF from the fixtures (000.pdf three times, fonts shared; needs qpdf).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-10}
file=${2:-}
command -v pdftotext >/dev/null || { echo "needs pdftotext (apt-get install poppler-utils)"; exit 2; }
cargo build --release --quiet
bin=target/release/carers-extract
if [ -z "$file" ]; then
  file=$(mktemp --suffix=.pdf)
  qpdf --empty --pages fixtures/pdf/000.pdf fixtures/pdf/000.pdf fixtures/pdf/000.pdf -- "$file"
fi
pages=$(pdfinfo "$file" | awk '/^Pages:/ {print $2}')
time_it() { # prints seconds per run
  local s e
  s=$(date +%s.%N)
  for _ in $(seq "$rounds"); do "$@" > /dev/null 2>&1 || true; done
  e=$(date +%s.%N)
  python3 -c "print(($e-$s)/$rounds)"
}
cpu_it() { # prints CPU seconds (user+sys) per run: stable on a shared machine
  /usr/bin/time -f "%U %S" bash -c 'for _ in $(seq '"$rounds"'); do "$@" > /dev/null 2>&1 || true; done' _ "$@" 2>&1 >/dev/null | tail -1 | awk -v r="$rounds" '{print ($1+$2)/r}'
}
peak() { /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ {gsub(/ /,"",$2); print $2}'; }
t_ours=$(time_it "$bin" --format json "$file")
t_pdftotext=$(time_it pdftotext -layout "$file" -)
c_ours=$(cpu_it "$bin" --format json "$file")
c_pdftotext=$(cpu_it pdftotext -layout "$file" -)
m_ours=$(peak "$bin" --format json "$file")
m_pdftotext=$(peak pdftotext -layout "$file" -)
python3 - "$file" "$pages" "$t_ours" "$t_pdftotext" "$m_ours" "$m_pdftotext" "$c_ours" "$c_pdftotext" <<'PY'
import sys
f, pages = sys.argv[1], int(sys.argv[2])
to, tp, mo, mp, co, cp = (float(x) for x in sys.argv[3:9])
print(f"{pages} pages ({f})")
print(f"carers-extract (whole pipeline): {to*1000:7.1f} ms wall  {co*1000:7.1f} ms CPU  {mo/1024:6.1f} MB peak RSS")
print(f"pdftotext -layout:               {tp*1000:7.1f} ms wall  {cp*1000:7.1f} ms CPU  {mp/1024:6.1f} MB peak RSS")
print(f"ratio: {to/tp:.2f}x wall, {co/cp:.2f}x CPU")
PY
