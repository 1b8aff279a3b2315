#!/usr/bin/env bash
# Reader speed (not a test): MB/s of the DOCX, XLSX, ODS and HTML readers, in process (bytes ->
# Document, no detection), on the committed fixtures and on a larger generated DOCX/XLSX
# (seed 000's plan repeated; made by fixtures/office/make_fixtures.py --big).
# Usage: benches/office_bench.sh [REPEAT]   (REPEAT: copies of the plan in the big files, default 40)
set -euo pipefail
cd "$(dirname "$0")/.."
repeat=${1:-40}
big=${TMPDIR:-/tmp}/carers-extract-office-bench
if [ ! -f "$big/big.docx" ] || [ ! -f "$big/big.xlsx" ]; then
  python3 fixtures/office/make_fixtures.py --big "$big" --repeat "$repeat" >/dev/null
fi
files=$(printf '%s,' fixtures/office/000.docx fixtures/office/001.docx fixtures/office/000.xlsx \
  fixtures/office/000.ods fixtures/office/000.html "$big/big.docx" "$big/big.xlsx")
BENCH_FILES="$files" cargo test --release --quiet --test office bench_readers -- --ignored --nocapture 2>&1 \
  | grep -E 'MB/s'
