#!/usr/bin/env bash
# Scenario 13, timing goal: a well-behaved client's p99 latency while fuzzers pound the broker
# stays within 2x of its baseline (LiveFuzzLatencyTest, tag soak, not part of mvn verify).
#
#   reliability/fuzz-latency.sh [--windows N] [--window-ms MS]
#
# Measures N windows (default 7) of MS milliseconds (default 3000) without and then with two
# fuzzing clients, and compares the medians of the windows' p99s. Extra Maven flags come from
# $MVN_FLAGS (e.g. -o).
set -euo pipefail
windows=7
window_ms=3000
while [[ $# -gt 0 ]]; do
    case "$1" in
        --windows) windows="${2:?}"; shift 2 ;;
        --window-ms) window_ms="${2:?}"; shift 2 ;;
        -h|--help) sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "fuzz-latency.sh: unknown option '$1' (expected --windows N or --window-ms MS)" >&2; exit 2 ;;
    esac
done
cd "$(dirname "$0")/.."
mvn -B ${MVN_FLAGS:-} verify -pl protocol,storage,broker -Dcairn.excludedGroups=none -Dgroups=soak \
    -Dtest=LiveFuzzLatencyTest -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcairn.fuzzLatency.windows="$windows" -Dcairn.fuzzLatency.windowMs="$window_ms" 2>&1 \
    | grep -E 'well-behaved client p99|Tests run:|FAIL|ERROR' | grep -v '^\[INFO\] Tests run: 0'
