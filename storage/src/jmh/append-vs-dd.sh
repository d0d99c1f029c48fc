#!/usr/bin/env bash
# Storage append throughput beside dd's sequential-write figures, measured alternately on the same
# file system so both see the same machine state. Usage (from the repository root):
#   storage/src/jmh/append-vs-dd.sh [rounds] [directory]
set -euo pipefail
rounds=${1:-3}
dir=${2:-${TMPDIR:-/tmp}}
cd "$(dirname "$0")/../../.."
# Each dd runs three times back to back and the last run counts, as the benchmark's measured
# iterations follow its warm-up iterations: on a VM that returns freed memory to its host, the
# first 1 GiB written after a pause pays for faulting its page-cache memory back in.
dd_rate() { # prints MB/s of the last of three dd runs
  local out
  for _ in 1 2 3; do out=$(dd if=/dev/zero of="$dir/cairn-dd.bin" "$@" 2>&1 | tail -1); rm -f "$dir/cairn-dd.bin"; done
  echo "$out" | awk '{ for (i = 1; i <= NF; i++) if ($i == "copied,") { printf "%.0f", 1073741824 / $(i + 1) / 1e6 } }'
}
printf "%-6s %14s %14s %14s %20s\n" round "dd 1M (MB/s)" "dd 16k (MB/s)" "dd fdatasync" "Cairn 1 GiB (MB/s)"
for r in $(seq 1 "$rounds"); do
  a=$(dd_rate bs=1M count=1024)
  b=$(dd_rate bs=16k count=65536)
  c=$(dd_rate bs=1M count=1024 conv=fdatasync)
  mvn -B -o -q -pl storage -am -Pbench -DskipTests test \
    -Dbench.args="AppendBenchmark.append1GiB -jvmArgsAppend -Dbench.dir=$dir -rf csv -rff $dir/cairn-append.csv" >/dev/null
  ms=$(awk -F, 'NR == 2 { gsub(/"/, "", $5); print $5 }' "$dir/cairn-append.csv")
  rm -f "$dir/cairn-append.csv"
  printf "%-6s %14s %14s %14s %20.0f\n" "$r" "$a" "$b" "$c" "$(echo "1073.741824 / ($ms / 1000)" | bc -l)"
done
