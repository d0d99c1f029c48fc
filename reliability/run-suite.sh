#!/usr/bin/env bash
# Runs one reliability suite through Maven with the given system properties, with the time goals
# asserted as stated (-Dcairn.reliability.strictTimes=true), and prints the figures it measured.
# Used by crash-loop.sh, clean-restarts.sh and recovery-speed.sh (through lib.sh); MVN_FLAGS adds Maven flags (e.g. -o).
set -euo pipefail
test_class="$1"; shift
root="$(cd "$(dirname "$0")/.." && pwd)"
results="$root/reliability/target/reliability-results.txt"
before=$( [ -f "$results" ] && wc -l < "$results" || echo 0 )
cd "$root"
status=0
mvn -B -q ${MVN_FLAGS:-} verify -pl reliability -am -Dtest="$test_class" -Dsurefire.failIfNoSpecifiedTests=false \
    -Dcairn.reliability.strictTimes=true "$@" || status=$?
if [ -f "$results" ]; then
    tail -n +"$((before + 1))" "$results"
fi
echo "broker logs: $root/reliability/target/broker-logs/$test_class/"
exit "$status"
