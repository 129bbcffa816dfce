#!/usr/bin/env bash
# Runs every cargo-fuzz target, in one of two modes:
#   fuzz/run.sh SECONDS     explore: each target for SECONDS (make fuzz), growing fuzz/corpus;
#   fuzz/run.sh --check N   reproduce: each target for exactly N inputs from a fixed random seed,
#                           starting from the committed seeds only (make test). The same code
#                           gives the same inputs on every machine, so CI fails for a change in the
#                           code, never for the luck of a draw (a 5 s explore run in CI once found
#                           a crash that no run here had met, and blocked an unrelated change).
# Installs cargo-fuzz when missing. Builds on the stable toolchain
# (RUSTC_BOOTSTRAP=1 lets it take cargo-fuzz's -Z flags) without a sanitizer: the code under test
# is safe Rust, so AddressSanitizer would only slow the build and each run; panics, failed
# assertions, overflows (debug assertions are on), timeouts and runaway memory are caught.
#
# Each target grows its corpus in fuzz/corpus/<target> (ignored by git), starting from the
# hand-written inputs in fuzz/seeds/<target>. Fails when any target crashes and names the input
# that crashed it (kept in fuzz/artifacts/<target>/) and the command that replays it.
set -uo pipefail

usage() {
    echo "usage: $0 SECONDS      (explore: every fuzz target for SECONDS each)" >&2
    echo "       $0 --check RUNS (reproduce: every target for RUNS inputs from a fixed seed)" >&2
    exit 2
}
check=
if [ "${1:-}" = --check ]; then
    check=1
    shift
fi
amount=${1:-}
if ! [[ $amount =~ ^[0-9]+$ ]] || [ "$amount" -eq 0 ]; then
    usage
fi

cd "$(dirname "$0")"
export PATH="$HOME/.cargo/bin:$PATH"
export RUSTC_BOOTSTRAP=1
# Fuzz builds keep their own target directory (fuzz/target): other flags than the main build's.
unset CARGO_TARGET_DIR
flags=(--sanitizer none)
# The check builds unoptimised (--dev keeps debug assertions and overflow checks on, as release
# with cargo-fuzz's defaults does): a few thousand inputs per second are plenty for a fixed number
# of them, and the build takes a fraction of an optimised one's time. Exploring wants speed.
if [ -n "$check" ]; then
    flags+=(--dev)
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "Installing cargo-fuzz"
    cargo install cargo-fuzz --locked || exit 1
fi

start=$(date +%s)
cargo fuzz build "${flags[@]}" || exit 1
echo "fuzz: built in $(($(date +%s) - start)) s"

failed=()
for target in $(cargo fuzz list); do
    mkdir -p "corpus/$target" "seeds/$target" "artifacts/$target" target/run-logs
    # Not in artifacts/: cargo-fuzz reports the newest file there as the failing input.
    log="target/run-logs/$target.log"
    if [ -n "$check" ]; then
        echo "fuzz: $target for $amount inputs (seed 1)"
        # A fresh corpus each time: what earlier runs here found must not change what CI runs.
        corpus=target/check-corpus/$target
        rm -rf "$corpus" && mkdir -p "$corpus"
        budget=(-seed=1 -runs="$amount")
    else
        echo "fuzz: $target for ${amount} s"
        corpus=corpus/$target
        budget=(-max_total_time="$amount")
    fi
    # -timeout: one input taking 10 s is a hang; -rss_limit_mb: a runaway allocation is a crash.
    if cargo fuzz run "${flags[@]}" "$target" "$corpus" "seeds/$target" -- \
        "${budget[@]}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
        >"$log" 2>&1; then
        grep -E '^(stat::number_of_executed_units|#[0-9]+ +DONE)' "$log" | sed "s/^/fuzz: $target: /"
    else
        failed+=("$target")
        tail -n 60 "$log"
        # libFuzzer names the file it wrote: crash-*, leak-*, timeout-* or oom-*.
        new=$(sed -n 's/.*Test unit written to \(\S*\).*/\1/p' "$log")
        echo "fuzz: $target CRASHED; full log: fuzz/$log"
        for input in $new; do
            echo "fuzz: crashing input: $input"
            echo "fuzz: replay with: (cd fuzz && RUSTC_BOOTSTRAP=1 cargo fuzz run ${flags[*]} $target $input)"
        done
    fi
done

if [ ${#failed[@]} -gt 0 ]; then
    echo "fuzz: FAILED: ${failed[*]}" >&2
    exit 1
fi
if [ -n "$check" ]; then
    echo "fuzz: every target ran $amount inputs without a crash"
else
    echo "fuzz: every target ran ${amount} s without a crash"
fi
