#!/usr/bin/env bash
# Benchmark: `ratify roll import` of a 500,000-row roll (issue 4, bar 30 s),
# on SQLite and, when RATIFY_BENCH_PG names a server, on PostgreSQL.
# Usage: benches/roll-import.sh [ROWS]   (prints one line per backend)
set -euo pipefail
cd "$(dirname "$0")/.."
rows=${1:-500000}
cargo build --release --quiet --bin ratify --bin ratify-fixture
bin=target/release/ratify
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The shared fixtures (crates/ratify-testkit), as the tests use them.
fixture=target/release/ratify-fixture
$fixture roll "$rows" > "$work/roll.csv"
$fixture spec > "$work/spec.toml"

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
