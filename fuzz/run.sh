#!/usr/bin/env bash
# Run every fuzz target for SECONDS each (default 60), one after the other, from the
# seeds in fuzz/seeds/ plus the corpus grown by earlier runs (fuzz/corpus/, not
# tracked). A crash stops the run with a non-zero status and leaves the input in
# fuzz/artifacts/<target>/. Prints executions and executions per second per target.
#
#   fuzz/run.sh 60          # CI's budget
#   fuzz/run.sh 1800 check  # a longer campaign of one target
#
# cargo-fuzz needs nightly features; RUSTC_BOOTSTRAP=1 lets the stable toolchain
# build it (for this step only).
set -euo pipefail
cd "$(dirname "$0")"
secs=${1:-60}
shift || true
export RUSTC_BOOTSTRAP=1
targets=${*:-$(cargo fuzz list)}
if [ -z "$targets" ]; then
  echo "fuzz: no targets found (cargo fuzz list gave nothing)" >&2
  exit 1
fi
cargo fuzz build -O -s none >/dev/null 2>&1 || cargo fuzz build -O -s none
mkdir -p logs
total=0
for t in $targets; do
  mkdir -p "corpus/$t"
  status=0
  cargo fuzz run -O -s none "$t" "corpus/$t" seeds -- \
    -max_total_time="$secs" -print_final_stats=1 -rss_limit_mb=2048 -timeout=20 \
    >"logs/$t.log" 2>&1 || status=$?
  execs=$(grep -aoE 'stat::number_of_executed_units: *[0-9]+' "logs/$t.log" | grep -oE '[0-9]+$' | sort -n | tail -1 || true)
  rate=$(grep -aoE 'stat::average_exec_per_sec: *[0-9]+' "logs/$t.log" | grep -oE '[0-9]+$' | sort -n | tail -1 || true)
  echo "fuzz $t: ${execs:-0} executions in ${secs}s (${rate:-0}/s)"
  total=$((total + ${execs:-0}))
  if [ "$status" -ne 0 ]; then
    echo "fuzz $t FAILED (status $status):"
    grep -aE 'panicked|ERROR|SUMMARY|assert' "logs/$t.log" | head -20
    ls -1 "artifacts/$t" 2>/dev/null | head -5
    exit 1
  fi
done
echo "fuzz: $total executions in total"
