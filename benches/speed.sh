#!/usr/bin/env bash
# Speed benchmark (not a test): files per second and MB/s of the whole pipeline on the text seeds,
# single file and batch. Usage: benches/speed.sh [ROUNDS]
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-50}
cargo build --release --quiet
bin=target/release/carers-extract
files=(fixtures/seeds/*.txt)
bytes=$(cat "${files[@]}" | wc -c)
start=$(date +%s.%N)
for _ in $(seq "$rounds"); do
  for f in "${files[@]}"; do "$bin" --format json "$f" > /dev/null; done
done
end=$(date +%s.%N)
python3 - "$start" "$end" "$rounds" "${#files[@]}" "$bytes" <<'PY'
import sys
s, e, rounds, n, b = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
t = e - s
print(f"text seeds, one process per file: {rounds*n/t:.0f} files/s, {rounds*b/t/1e6:.1f} MB/s ({t/(rounds*n)*1000:.1f} ms per file incl. process start)")
PY
# In-process throughput: every seed as one batch invocation, repeated.
args=()
for _ in $(seq "$rounds"); do args+=("${files[@]}"); done
start=$(date +%s.%N)
"$bin" --format ndjson "${args[@]}" > /dev/null
end=$(date +%s.%N)
python3 -c "import sys; t=$end-$start; n=${#args[@]}; print(f'text seeds, one batch process: {n/t:.0f} files/s, {n*$bytes/${#files[@]}/t/1e6:.1f} MB/s')"
