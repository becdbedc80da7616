#!/usr/bin/env bash
# Benchmark: `ratify roll import` of a 500,000-row roll (issue 4, bar 30 s),
# on SQLite and, when RATIFY_BENCH_PG names a server, on PostgreSQL.
# Usage: benches/roll-import.sh [ROWS]   (prints one line per backend)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-500000}
cargo build --release --quiet
bin=target/release/ratify
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

python3 - "$rows" > "$work/roll.csv" <<'PY'
import sys
n = int(sys.argv[1]); units = ["U1", "U2", "U3", "U4", "U5", "U6"]
print("member_number,name,email,unit,language")
for i in range(n):
    unit = "XH" if i < 3 else units[i % 6]
    print(f"{1000000 + i},Member {i},member{i}@example.org,{unit},{'es' if i % 4 == 0 else 'en'}")
PY
sed -e 's/^opens_at = .*/opens_at = "2030-12-02T20:00:00"/' -e 's/^closes_at = .*/closes_at = "2030-12-11T17:00:00"/' \
  src/election/testdata/kern-lbfo-2024.toml > "$work/spec.toml"

run() {
  local name=$1 url=$2
  export RATIFY__DATABASE__URL=$url RATIFY__KEYS__DIR=$work/keys RATIFY__LOG__LEVEL=warn
  $bin election create "$work/spec.toml" >/dev/null
  local start end
  start=$(date +%s.%N)
  $bin roll import kern-lbfo-2024 "$work/roll.csv" >/dev/null
  end=$(date +%s.%N)
  python3 -c "print(f\"$name: imported $rows rows in {$end - $start:.1f} s\")"
}

run sqlite "sqlite://$work/bench.db"
if [ -n "${RATIFY_BENCH_PG:-}" ]; then
  db=ratify_bench_$$
  psql "$RATIFY_BENCH_PG" -qc "CREATE DATABASE $db" >/dev/null
  run postgres "${RATIFY_BENCH_PG%/*}/$db"
  psql "$RATIFY_BENCH_PG" -qc "DROP DATABASE $db WITH (FORCE)" >/dev/null
fi
