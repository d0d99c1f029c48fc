#!/usr/bin/env bash
# Scenario 8, clean SIGTERM restarts under a running producer (the mvn verify version runs 10).
#   reliability/clean-restarts.sh --restarts 100 [--seed 8] [--max-minutes 60]
set -euo pipefail
restarts=100; seed=8; minutes=0
while [ $# -gt 0 ]; do
    case "$1" in
        --restarts) restarts="$2"; shift 2 ;;
        --seed) seed="$2"; shift 2 ;;
        --max-minutes) minutes="$2"; shift 2 ;;
        *) echo "usage: $0 [--restarts N] [--seed S] [--max-minutes M]" >&2; exit 2 ;;
    esac
done
exec "$(dirname "$0")/run-suite.sh" CleanRestartTest -Dcairn.reliability.cleanRestarts="$restarts" -Dcairn.reliability.seed="$seed" -Dcairn.reliability.maxMinutes="$minutes"
