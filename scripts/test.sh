#!/usr/bin/env bash
# Sets up what is missing, builds everything and runs every test:
# Rust (fmt, clippy, cargo test), the npm package in Node, and real Chromium.
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

step "npm package in Node 20 (differential tests against Node's modules)"
node --test --test-concurrency=2 --test-timeout=600000 tests/node/*.test.mjs

step "real Chromium"
node --test --test-concurrency=1 --test-timeout=900000 tests/browser/*.test.mjs
