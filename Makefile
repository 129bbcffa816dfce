# Treffpunkt: `make run` and `make test` set up a fresh Debian/Ubuntu machine on their own.
SHELL := /bin/bash
.DEFAULT_GOAL := run

DEB_PACKAGES := build-essential pkg-config curl file libwebkit2gtk-4.1-dev libssl-dev \
	libxdo-dev libayatana-appindicator3-dev librsvg2-dev webkit2gtk-driver xvfb dbus-x11 imagemagick \
	gnome-keyring postgresql
CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# The 1M-activity workspace the startup benchmark opens; made once, kept in target/.
STARTUP_DB := target/bench-data/startup-1m.sqlite
STARTUP_SMALL_DB := target/bench-data/startup-10k.sqlite

.PHONY: fuzz test-fuzz bench soak package run run-team test deps deb-deps npm-deps tauri-driver ui bindings build check lint test-rust test-ui test-e2e clean

## Installs what is missing, builds, and starts the app on the demo workspace.
run: deps ui
	cargo build
	./target/debug/treffpunkt --demo

## A team workspace here: a throwaway PostgreSQL with sample data and two windows, one per
## employee (Anna, administrator; Ben, salesperson). Closing both stops and removes the server.
run-team: deps ui
	cargo build
	bash tests/postgres/run-team.sh

## Every check CI makes: formatting, clippy, the UI's type check and tests, all Rust tests
## (unit, integration, and end to end in a real window under Xvfb).
test: deps ui lint test-ui test-rust test-fuzz

deps: deb-deps npm-deps tauri-driver

# Installs the Debian packages only when one is missing, so a second run does nothing.
deb-deps:
	@missing=$$(for p in $(DEB_PACKAGES); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing Debian packages: $$missing"; \
		$(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi

npm-deps: ui/node_modules/.package-lock.json tests/second-idp/node_modules/.package-lock.json
ui/node_modules/.package-lock.json: ui/package.json ui/package-lock.json
	cd ui && npm ci --no-audit --no-fund
	@touch $@

# The second sign-in server (oidc-provider) that tests/it/second_idp.rs signs in against.
tests/second-idp/node_modules/.package-lock.json: tests/second-idp/package.json tests/second-idp/package-lock.json
	cd tests/second-idp && npm ci --no-audit --no-fund
	@touch $@

# tauri-driver bridges WebDriver to WebKitWebDriver for the end-to-end tests.
tauri-driver:
	@command -v tauri-driver >/dev/null || cargo install tauri-driver --version '^2' --locked

ui:
	cd ui && npm run build

## Rewrites ui/src/api/bindings.ts (the IPC types) and commands.ts (a typed function per command) from Rust.
bindings:
	UPDATE_BINDINGS=1 cargo test --lib bindings

# Clippy's lints run inside the test build: clippy-driver compiles the workspace's own crate (lib,
# bins, tests, benches: what `cargo clippy --all-targets` checks) and fails on any warning, while
# the dependencies are compiled once for the tests instead of once more, checked, for clippy. The
# same variables in test-rust find the build done. CLIPPY_ARGS is how `cargo clippy` passes its
# arguments to clippy-driver, each followed by __CLIPPY_HACKERY__. clippy-driver is found where
# cargo's tools are (on PATH, or rustup's ~/.cargo/bin).
CLIPPY_DRIVER := $(shell command -v clippy-driver 2>/dev/null || echo $(CARGO_BIN)/clippy-driver)
CLIPPY_BUILD := RUSTC_WORKSPACE_WRAPPER=$(CLIPPY_DRIVER) CLIPPY_ARGS=-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__

lint:
	cargo fmt --check
	$(CLIPPY_BUILD) cargo test --tests --no-run
	cd ui && npm run check

test-ui:
	cd ui && npm test

# --tests: the library's unit tests, tests/it and the benches (test = true in Cargo.toml), not
# --all-targets, which builds and links each binary a second time as a test of its own, empty.
test-rust:
	$(CLIPPY_BUILD) cargo test --tests

## The benchmarks: the store's queries at 10k, 100k and 1M activities and contacts, the send
## path, 50 desktops on one team database (PostgreSQL) with 1M of each, and startup and memory
## against a bare Tauri app, and the interactions and memory of a working day in the window at
## 1M activities; writes docs/benchmarks.md.
bench: deps ui
	cargo build --release --bins
	@mkdir -p target/bench-data target/bench-results
	test -f $(STARTUP_DB) || ./target/release/gen-data --activities 1000000 --contacts 10000 --out $(STARTUP_DB)
	test -f $(STARTUP_SMALL_DB) || ./target/release/gen-data --activities 10000 --contacts 10000 --out $(STARTUP_SMALL_DB)
	cargo bench --bench store
	cargo bench --bench send
	cargo bench --bench team
	CARGO_TARGET_DIR=$(CURDIR)/target cargo build --release --manifest-path bench/bare-tauri/Cargo.toml
	cargo bench --bench startup
	cargo bench --bench window
	bash benches/report.sh

## The app as a user installs it: builds the Debian package with Tauri's bundler from a release
## build (target/release/bundle/deb/), installs it here, checks it (desktop entry, icon,
## `treffpunkt --version`, the demo started from it under Xvfb), removes it again, and writes its
## size and the release binary's into docs/benchmarks.md.
# The bundler's CLI is the UI's @tauri-apps/cli. It would run beforeBuildCommand from the first
# package.json it finds, which need not be the UI's: the `ui` target has built it already.
# desktop-file-validate checks the desktop entry; ps and pgrep watch the app started from it.
package: DEB_PACKAGES += desktop-file-utils procps
package: deb-deps npm-deps ui
	ui/node_modules/.bin/tauri build --ci --bundles deb --config '{"build":{"beforeBuildCommand":null}}'
	bash packaging/check-deb.sh "$$(ls -t target/release/bundle/deb/*.deb | head -n1)" target/release/treffpunkt

## Fuzzing: every cargo-fuzz target for 60 s (FUZZ_SECONDS); a crash fails and names
## its input (fuzz/artifacts/). Stable toolchain with RUSTC_BOOTSTRAP=1; installs cargo-fuzz.
FUZZ_SECONDS ?= 60
fuzz:
	bash fuzz/run.sh $(FUZZ_SECONDS)

# A few seconds per fuzz target, so the targets and their properties cannot rot: a fixed number of
# inputs from a fixed seed, the same on every machine (see fuzz/run.sh). The first build of the
# fuzz targets (fuzz/target) takes about ten minutes on two cores; later ones two.
test-fuzz:
	bash fuzz/run.sh --check 50000

## The fault soak: 1,000 meeting sends with random faults; writes its section of docs/reliability.md.
soak: deps ui
	cargo test --release --test it meetings::fault_soak_of_a_thousand_sends -- --ignored --exact

clean:
	cargo clean
	rm -rf ui/dist ui/node_modules tests/second-idp/node_modules
