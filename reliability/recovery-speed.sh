#!/usr/bin/env bash
# Scenario 9, recovery speed: MiB written before and after the recovery checkpoint (the mvn verify
# version writes 32 + 32 MiB). Needs about 2 x MiB of free disk in the temp directory.
#   reliability/recovery-speed.sh --mib 1024
set -euo pipefail
mib=1024
while [ $# -gt 0 ]; do
    case "$1" in
        --mib) mib="$2"; shift 2 ;;
        *) echo "usage: $0 [--mib N]" >&2; exit 2 ;;
    esac
done
exec "$(dirname "$0")/run-suite.sh" RecoverySpeedTest -Dcairn.reliability.recoveryMiB="$mib"
