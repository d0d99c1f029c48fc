#!/usr/bin/env bash
# Scenario 1, kill -9 under load, for as many rounds as asked (the mvn verify version runs 20);
# --max-minutes stops starting rounds after M minutes and checks what was done.
#   reliability/crash-loop.sh --rounds 200 [--seed 7] [--max-minutes 60]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_suite_with_options CrashLoopTest \
    --rounds N cairn.reliability.crashRounds 200 \
    --seed S cairn.reliability.seed 1 \
    --max-minutes M cairn.reliability.maxMinutes 0 \
    -- "$@"
