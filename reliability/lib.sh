# Sourced by crash-loop.sh, clean-restarts.sh and recovery-speed.sh: the option parsing they share.

# run_suite_with_options TEST_CLASS [OPTION PLACEHOLDER PROPERTY DEFAULT]... -- ARGS...
#
# Reads "OPTION value" pairs from ARGS, each option's value going to its system property (DEFAULT
# when not given), then runs TEST_CLASS through run-suite.sh with -DPROPERTY=value for every
# option, in the order declared. Anything else in ARGS, or an option without its value, prints
# "usage: <script> [OPTION PLACEHOLDER]..." and exits 2.
run_suite_with_options() {
    local test_class="$1"; shift
    local -a options=() placeholders=() properties=() values=()
    while [ $# -gt 0 ] && [ "$1" != "--" ]; do
        options+=("$1"); placeholders+=("$2"); properties+=("$3"); values+=("$4")
        shift 4
    done
    shift
    local usage="usage: $0" i
    for i in "${!options[@]}"; do
        usage+=" [${options[$i]} ${placeholders[$i]}]"
    done
    while [ $# -gt 0 ]; do
        for i in "${!options[@]}"; do
            if [ "$1" = "${options[$i]}" ] && [ $# -ge 2 ]; then
                values[$i]="$2"
                shift 2
                continue 2
            fi
        done
        echo "$usage" >&2
        exit 2
    done
    local -a defines=()
    for i in "${!options[@]}"; do
        defines+=("-D${properties[$i]}=${values[$i]}")
    done
    exec "$(dirname "$0")/run-suite.sh" "$test_class" "${defines[@]}"
}
