#!/usr/bin/env bash
# Scenario 9, recovery speed: MiB written before and after the recovery checkpoint (the mvn verify
# version writes 32 + 32 MiB). Needs about 2 x MiB of free disk in the temp directory.
#   reliability/recovery-speed.sh --mib 1024
set -euo pipefail
source "$(dirname "$0")/lib.sh"
run_suite_with_options RecoverySpeedTest \
    --mib N cairn.reliability.recoveryMiB 1024 \
    -- "$@"
