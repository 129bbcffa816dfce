#!/usr/bin/env bash
# Checks the Debian package `make package` built, as a user would meet it, on this machine: it
# installs (dpkg -i), brings its desktop entry and icon, its command answers --version, and the
# installed app starts the demo workspace in a window (under Xvfb). It then writes the package's
# and the release binary's sizes into docs/benchmarks.md ("The package") and removes the package
# again, whatever happened, so the machine is left as it was found.
#
# Usage: packaging/check-deb.sh PACKAGE.deb RELEASE-BINARY
# Runs as root or through sudo (dpkg). The app runs with a throwaway HOME and XDG directories:
# the user's workspace, keyring and caches are not touched.
set -euo pipefail

deb=${1:?usage: $0 PACKAGE.deb RELEASE-BINARY}
release_binary=${2:?usage: $0 PACKAGE.deb RELEASE-BINARY}
results=${CARGO_TARGET_DIR:-target}/bench-results
doc=docs/benchmarks.md
# A cold start of WebKit on a loaded two-core machine stays well within this.
first_paint_timeout=${PACKAGE_FIRST_PAINT_TIMEOUT:-120}
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

fail() {
  echo "check-deb: $*" >&2
  exit 1
}

[ -f "$deb" ] || fail "no package at $deb"
[ -x "$release_binary" ] || fail "no release binary at $release_binary"

# The version the package must carry: Cargo.toml's, which --version prints too.
expected_version=$(sed -n '/^\[package\]/,/^\[/ s/^version *= *"\(.*\)"/\1/p' Cargo.toml | head -n1)
[ -n "$expected_version" ] || fail "no version in Cargo.toml's [package]"

package=$(dpkg-deb -f "$deb" Package)
version=$(dpkg-deb -f "$deb" Version)
echo "== $deb"
dpkg-deb -f "$deb" Package Version Architecture Maintainer Installed-Size Depends Section Description
[ "$version" = "$expected_version" ] || fail "the package's version is $version, Cargo.toml's $expected_version"

# A user's own installation is not replaced and then removed by a check.
if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed'; then
  fail "$package is installed on this machine already; remove it first (sudo apt remove $package), the check installs and removes it"
fi

scratch=$(mktemp -d)
app_pid=
xvfb_pid=
installed=
cleanup() {
  local status=$?
  if [ -n "$app_pid" ]; then
    kill -TERM -- "-$app_pid" 2>/dev/null || true
    sleep 1
    kill -KILL -- "-$app_pid" 2>/dev/null || true
  fi
  [ -z "$xvfb_pid" ] || kill "$xvfb_pid" 2>/dev/null || true
  if [ -n "$installed" ]; then
    echo "== removing $package"
    $SUDO dpkg -r "$package" >/dev/null || status=1
    if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'ok installed'; then
      echo "check-deb: $package is still installed" >&2
      status=1
    fi
  fi
  rm -rf "$scratch"
  exit "$status"
}
trap cleanup EXIT

echo "== dpkg -i"
installed=yes
if ! $SUDO dpkg -i "$deb"; then
  # dpkg leaves a package whose dependencies are missing unconfigured; apt fetches them.
  echo "== fetching missing dependencies (apt-get install -f)"
  $SUDO apt-get install -f -y -qq
fi
dpkg-query -W -f='${Status}' "$package" | grep -q 'ok installed' || fail "$package did not install"

files=$(dpkg -L "$package")
echo "== installed files"
echo "$files" | while read -r f; do if [ -f "$f" ]; then echo "$f"; fi; done

# The command: the one executable the package puts on PATH.
binary=$(echo "$files" | grep -E '^/usr/bin/[^/]+$' | head -n1)
[ -n "$binary" ] && [ -x "$binary" ] || fail "the package installs no command in /usr/bin"
[ "$(echo "$files" | grep -cE '^/usr/bin/[^/]+$')" = 1 ] \
  || fail "the package puts more than the app on PATH: $(echo "$files" | grep -E '^/usr/bin/' | xargs)"

# The desktop entry: the app menu lists it, starts the installed command, shows the installed icon.
desktop=$(echo "$files" | grep -E '^/usr/share/applications/[^/]+\.desktop$' | head -n1)
[ -n "$desktop" ] && [ -f "$desktop" ] || fail "no desktop entry in /usr/share/applications"
echo "== $desktop"
cat "$desktop"
if command -v desktop-file-validate >/dev/null; then
  desktop-file-validate "$desktop" || fail "$desktop is not a valid desktop entry"
fi
exec_line=$(sed -n 's/^Exec=//p' "$desktop" | head -n1)
exec_command=$(command -v "${exec_line%% *}" || true)
[ "$exec_command" = "$binary" ] || fail "the desktop entry starts '${exec_line}', not $binary"
icon=$(sed -n 's/^Icon=//p' "$desktop" | head -n1)
[ -n "$icon" ] || fail "the desktop entry names no icon"
icons=$(echo "$files" | grep -E "^/usr/share/icons/hicolor/[^/]+/apps/${icon}\.png$" || true)
[ -n "$icons" ] || fail "the icon '$icon' the desktop entry names is not installed in /usr/share/icons/hicolor"
for f in $icons; do [ -s "$f" ] || fail "$f is empty"; done
echo "== icons: $(echo "$icons" | xargs)"

# A throwaway home: nothing the app or WebKit writes reaches the user's.
home=$scratch/home
mkdir -p "$home"
# No keyring and no session bus: the user's are not asked, and GLib starts no dbus-daemon.
isolated=(env -i PATH=/usr/bin:/bin HOME="$home" USER="${USER:-root}" LANG=de_DE.UTF-8
  TZ=Europe/Berlin XDG_DATA_HOME="$home/data" XDG_CONFIG_HOME="$home/config"
  XDG_CACHE_HOME="$home/cache" XDG_RUNTIME_DIR="$scratch/runtime" TREFFPUNKT_KEYRING=off
  DBUS_SESSION_BUS_ADDRESS=disabled:)
mkdir -p -m 0700 "$scratch/runtime"

echo "== $binary --version"
said=$("${isolated[@]}" "$binary" --version)
echo "$said"
[ "$said" = "treffpunkt $expected_version" ] || fail "--version said '$said', not 'treffpunkt $expected_version'"
[ -z "$(ls -A "$home")" ] || fail "--version wrote into the home directory: $(ls -A "$home" | xargs)"

echo "== the installed app starts the demo under Xvfb"
# Xvfb picks a free display itself and writes its number to fd 3.
Xvfb -displayfd 3 -screen 0 1400x900x24 -nolisten tcp 3>"$scratch/display" 2>/dev/null &
xvfb_pid=$!
for _ in $(seq 100); do
  display=$(cat "$scratch/display" 2>/dev/null || true)
  [ -n "$display" ] && [ -e "/tmp/.X11-unix/X$display" ] && break
  sleep 0.1
done
[ -n "${display:-}" ] || fail "Xvfb did not start (make deps installs it)"
started=$(date +%s%N)
# Its own session and process group, so that WebKit's processes end with it: a simple command,
# which the forked shell replaces by env, env by setsid and setsid by the app, so that $! is the
# app and the leader of its group.
"${isolated[@]}" DISPLAY=":$display" TREFFPUNKT_REPORT_FIRST_PAINT=1 WEBKIT_DISABLE_COMPOSITING_MODE=1 \
  NO_AT_BRIDGE=1 setsid "$binary" --demo >"$scratch/app.out" 2>"$scratch/app.err" </dev/null &
app_pid=$!
for _ in $(seq 50); do
  [ "$(ps -o pgid= -p "$app_pid" | tr -d ' ')" = "$app_pid" ] && break
  sleep 0.1
done
[ "$(ps -o pgid= -p "$app_pid" | tr -d ' ')" = "$app_pid" ] || fail "the app did not start in a process group of its own"
painted=
deadline=$((SECONDS + first_paint_timeout))
while [ "$SECONDS" -lt "$deadline" ]; do
  if grep -q '^first-paint-ms ' "$scratch/app.out"; then
    painted=$(( ($(date +%s%N) - started) / 1000000 ))
    break
  fi
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.2
done
if [ -z "$painted" ]; then
  echo "--- the app's stderr:" >&2
  tail -n 30 "$scratch/app.err" >&2
  fail "the installed app painted no calendar within ${first_paint_timeout} s"
fi
reported=$(sed -n 's/^first-paint-ms //p' "$scratch/app.out" | head -n1)
echo "first paint: ${reported} ms by the app's own clock, ${painted} ms from the spawn to its line"
demo_db=$home/data/de.treffpunkt.crm/treffpunkt-demo.sqlite
[ -s "$demo_db" ] || fail "the demo workspace is not where the throwaway home keeps it ($demo_db)"
# Stopped as a user's logout would: TERM to the app and its WebKit processes.
kill -TERM -- "-$app_pid" 2>/dev/null || true
for _ in $(seq 50); do
  case "$(ps -o stat= -p "$app_pid" 2>/dev/null)" in '' | Z*) break ;; esac
  sleep 0.1
done
kill -KILL -- "-$app_pid" 2>/dev/null || true
wait "$app_pid" 2>/dev/null || true
for _ in $(seq 20); do pgrep -g "$app_pid" >/dev/null || break; sleep 0.1; done
! pgrep -g "$app_pid" >/dev/null || fail "the app's processes outlived it: $(pgrep -a -g "$app_pid" | xargs)"
app_pid=
kill "$xvfb_pid" 2>/dev/null || true
xvfb_pid=

# The sizes, and what they consist of.
mib() { awk -v b="$1" 'BEGIN { printf "%.1f MiB", b / 1048576 }'; }
deb_bytes=$(stat -c %s "$deb")
installed_kib=$(dpkg-deb -f "$deb" Installed-Size)
binary_bytes=$(stat -c %s "$release_binary")
stripped=$scratch/stripped
strip -o "$stripped" "$release_binary"
stripped_bytes=$(stat -c %s "$stripped")
packaged_binary_bytes=$(stat -c %s "$binary")
depends=$(dpkg-deb -f "$deb" Depends)
echo "== sizes: package $(mib "$deb_bytes"), installed $(mib $((installed_kib * 1024))), release binary $(mib "$binary_bytes") ($(mib "$stripped_bytes") stripped)"

mkdir -p "$results"
{
  echo "## The package"
  echo
  echo "Measured by \`make package\` on $(date -u +%Y-%m-%d) (packaging/check-deb.sh, which installed it,"
  echo "started the demo from it under Xvfb and removed it again)."
  echo
  echo "| what | size |"
  echo "|---|---|"
  echo "| \`$(basename "$deb")\`, what a user downloads and installs | $(mib "$deb_bytes") ($deb_bytes bytes) |"
  echo "| installed (the package's Installed-Size) | $(mib $((installed_kib * 1024))) |"
  echo "| the release binary \`target/release/treffpunkt\` | $(mib "$binary_bytes") ($binary_bytes bytes) |"
  echo "| the same binary without its symbol table (\`strip\`) | $(mib "$stripped_bytes") |"
  echo
  echo "What the package consists of: the release binary as \`$binary\` ($(mib "$packaged_binary_bytes");"
  echo "the UI, $(du -sk ui/dist | cut -f1) KiB in \`ui/dist\`, is compiled into it, as are SQLite and the TLS stack),"
  echo "a desktop entry \`$desktop\` and the icon in $(echo "$icons" | wc -l) sizes"
  echo "($(for f in $icons; do stat -c %s "$f"; done | awk '{ s += $1 } END { printf "%.0f KiB", s / 1024 }') together). Compressed (gzip), the .deb is"
  echo "$(awk -v d="$deb_bytes" -v i="$installed_kib" 'BEGIN { printf "%.0f", 100 * d / (i * 1024) }') % of what it installs. The rest comes from the system:"
  echo "\`Depends: $depends\` (WebKitGTK and GTK, which a desktop has or apt installs)."
  echo "The binary keeps its symbol table (Cargo's release profile strips debug info only), so a"
  echo "panic's backtrace names functions; stripping it would save $(mib $((binary_bytes - stripped_bytes)))."
  echo
  echo "The installed app's first paint of the demo in that check: ${reported} ms by its own clock,"
  echo "${painted} ms from the spawn to its report: one first start with a fresh home, which makes the"
  echo "demo workspace and its year of sample data before it paints; not a benchmark (\"Startup and"
  echo "memory\" above measures starts of prepared workspaces)."
} >"$results/package.md"

# docs/benchmarks.md: the section replaced where it is, or put before the findings.
if [ -f "$doc" ]; then
  findings=$(head -n1 benches/findings.md)
  awk -v section="$results/package.md" -v findings="$findings" '
    function put() { while ((getline line < section) > 0) print line; print ""; done_ = 1 }
    /^## The package$/ { if (!done_) put(); skip = 1; next }
    skip && /^## / { skip = 0 }
    skip { next }
    $0 == findings && !done_ { put() }
    { print }
    END { if (!done_) { print ""; put() } }
  ' "$doc" >"$scratch/benchmarks.md"
  cat "$scratch/benchmarks.md" >"$doc"
  echo "== wrote its section of $doc"
fi
echo "== $deb: checked"
