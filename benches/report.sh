#!/usr/bin/env bash
# Assembles docs/benchmarks.md from what `make bench` measured (target/bench-results/*.md), the
# machine it ran on, and the findings kept in benches/findings.md.
set -euo pipefail
results=${CARGO_TARGET_DIR:-target}/bench-results
out=docs/benchmarks.md
{
  echo "# Benchmarks"
  echo
  echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d) (written by benches/report.sh; edit"
  echo "benches/findings.md, not this file). Ratios count more than absolute numbers: the machine"
  echo "is shared and noisy."
  echo
  echo "## Machine"
  echo
  echo "- CPU: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | xargs), $(nproc) cores"
  echo "- Memory: $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo)"
  echo "- System: $(. /etc/os-release && echo "$PRETTY_NAME"), Linux $(uname -r)"
  echo "- Rust: $(rustc -V)"
  echo "- WebKitGTK: $(pkg-config --modversion webkit2gtk-4.1 2>/dev/null || echo unknown)"
  for part in store send team startup window; do
    echo
    if [ -f "$results/$part.md" ]; then
      cat "$results/$part.md"
    else
      echo "## $part"
      echo
      echo "Not measured in this run."
    fi
  done
  echo
  cat benches/findings.md
} > "$out"
echo "wrote $out"
