#!/usr/bin/env bash
# Scenario 8, clean SIGTERM restarts under a running producer (the mvn verify version runs 10).
#   reliability/clean-restarts.sh --restarts 100 [--seed 8] [--max-minutes 60]
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_suite_with_options CleanRestartTest \
    --restarts N cairn.reliability.cleanRestarts 100 \
    --seed S cairn.reliability.seed 8 \
    --max-minutes M cairn.reliability.maxMinutes 0 \
    -- "$@"
