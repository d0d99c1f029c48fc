#!/usr/bin/env bash
# Cairn soak (reliability scenario 17): producers with mixed acks/idempotence and a committing
# consumer group over 100 partitions under size and age retention and compaction, sampled every
# 5 s (throughput, heap after GC, open descriptors, mappings, segments), every record accounted for
# at the end. See docs/reliability.md, section 17.
#
#   reliability/soak.sh --minutes N      (default 15)
#
# Summary: reliability/target/soak-summary.txt (also printed). Exit status 0 = passed.
set -euo pipefail

minutes=15
while [[ $# -gt 0 ]]; do
  case "$1" in
    --minutes) minutes="${2:?--minutes needs a value}"; shift 2 ;;
    --minutes=*) minutes="${1#--minutes=}"; shift ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "soak.sh: unknown argument '$1' (expected --minutes N)" >&2; exit 2 ;;
  esac
done
if ! [[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]] || [[ "$minutes" =~ ^0+([.]0+)?$ ]]; then
  echo "soak.sh: --minutes must be a positive number, got '$minutes'" >&2
  exit 2
fi

root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
echo "soak: ${minutes} min of load; load average now: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"
# Netty's leak detector at its default sampling level: paranoid (the unit-test setting) tracks
# every buffer and would dominate a long run's CPU and heap.
status=0
mvn -B -q ${CAIRN_MVN_OFFLINE--o} test -pl reliability -am -Psoak \
  -Dtest=LongSoakTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsoak.minutes="$minutes" \
  -Dsurefire.argLine="-Dio.netty.leakDetection.level=simple -Xmx1g" || status=$?
echo "soak: summary in reliability/target/soak-summary.txt"
exit $status
