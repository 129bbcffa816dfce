#!/usr/bin/env bash
# Assembles docs/benchmarks.md from what `make bench` measured (target/bench-results/*.md), the
# machine it ran on, and the findings kept in benches/findings.md.
set -euo pipefail
results=${CARGO_TARGET_DIR:-target}/bench-results
out=docs/benchmarks.md
# `make package` measures the package, not `make bench`: its section stays as the last
# `make package` wrote it (target/bench-results/package.md, or the file's own when that is gone).
package_section=
if [ -f "$results/package.md" ]; then
  package_section=$(cat "$results/package.md")
elif [ -f "$out" ]; then
  package_section=$(awk '/^## The package$/ { keep = 1; print; next } keep && /^## / { exit } keep' "$out")
fi
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
  if [ -n "$package_section" ]; then
    echo
    echo "$package_section"
  fi
  echo
  cat benches/findings.md
} > "$out"
echo "wrote $out"
