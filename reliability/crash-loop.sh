#!/usr/bin/env bash
# Scenario 1, kill -9 under load, for as many rounds as asked (the mvn verify version runs 20);
# --max-minutes stops starting rounds after M minutes and checks what was done.
#   reliability/crash-loop.sh --rounds 200 [--seed 7] [--max-minutes 60]
set -euo pipefail
rounds=200; seed=1; minutes=0
while [ $# -gt 0 ]; do
    case "$1" in
        --rounds) rounds="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --max-minutes) minutes="$2"; shift 2 ;;
        *) echo "usage: $0 [--rounds N] [--seed S] [--max-minutes M]" >&2; exit 2 ;;
    esac
done
exec "$(dirname "$0")/run-suite.sh" CrashLoopTest -Dcairn.reliability.crashRounds="$rounds" -Dcairn.reliability.seed="$seed" -Dcairn.reliability.maxMinutes="$minutes"
