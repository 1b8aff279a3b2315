#!/usr/bin/env bash
# Row segmentation scales linearly (not a test): a generated fixed-width plan of numbered rows
# whose actions wrap over two lines, 50,000 rows against 200,000 rows. Four times the rows must
# take at most 4.5 times as long. Usage: benches/rows.sh [SMALL] [LARGE]
set -euo pipefail
cd "$(dirname "$0")/.."
small=${1:-50000}
large=${2:-200000}
cargo build --release --quiet
bin=target/release/carers-extract
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
gen() {
  python3 - "$1" > "$2" <<'PY'
import sys
n = int(sys.argv[1])
def line(a, b, c, d, e):
    return f"{a:<8}{b:<46}{c:<20}{d:<14}{e}".rstrip()
out = ["Carers Action Plan", "", line("No", "Action", "Lead", "By when", "Evidence")]
for k in range(1, n + 1):
    out.append(line(str(k), f"Deliver support item {k} for carers", "Carers Hub", "March 2027", f"Report {k}"))
    out.append(line("", "Across the county in every locality.", "", "", ""))
print("\n".join(out))
PY
}
gen "$small" "$dir/small.txt"
gen "$large" "$dir/large.txt"
time_of() {
  local s e
  s=$(date +%s.%N)
  "$bin" --format ndjson "$1" > "$dir/out.ndjson"
  e=$(date +%s.%N)
  python3 -c "print($e - $s)"
}
count() { python3 -c "import json,sys; print(sum(1 for l in open(sys.argv[1]) if json.loads(l).get('action') is not None))" "$dir/out.ndjson"; }
ts=$(time_of "$dir/small.txt"); ns=$(count)
tl=$(time_of "$dir/large.txt"); nl=$(count)
python3 - "$small" "$ns" "$ts" "$large" "$nl" "$tl" <<'PY'
import sys
s, ns, ts, l, nl, tl = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6])
ratio = tl / ts
print(f"{s} rows: {ns} actions in {ts:.2f}s; {l} rows: {nl} actions in {tl:.2f}s; ratio {ratio:.2f} (limit 4.5)")
sys.exit(0 if ratio <= 4.5 and ns == s and nl == l else 1)
PY
