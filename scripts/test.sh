#!/usr/bin/env bash
# Sets up what is missing, builds everything and runs every test:
# Rust (fmt, clippy, cargo test), the npm package in Node 24 against Node 24's own
# modules, Node 24's own test files (the Node-compat runner), and real Chromium.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh" --browser --wrk
"$ROOT/scripts/build.sh"

step "format and lints (Rust and JS)"
cargo fmt --all --check
cargo clippy --workspace --all-targets -- -D warnings
npx --no-install prettier --check --log-level warn "**/*.{js,mjs,cjs,ts,cts}"

step "rust: tests"
cargo test --workspace

# From here on `node` is the reference Node 24 (scripts/node-ref.sh): the
# differential tests compare ferrode with its modules. Tools above keep the system Node.
export PATH="$NODE_REF_BIN:$PATH"
[ "$(node --version)" = "v$NODE_REF_VERSION" ]

step "npm package in Node $NODE_REF_VERSION (differential tests against Node's modules)"
node --test --test-concurrency=2 --test-timeout=600000 tests/node/*.test.mjs

step "Node $NODE_REF_VERSION's own tests on ferrode (Node-compat runner)"
node tests/node-compat/run.mjs

step "real Chromium"
node --test --test-concurrency=1 --test-timeout=900000 tests/browser/*.test.mjs
