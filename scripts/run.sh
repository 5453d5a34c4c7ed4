#!/usr/bin/env bash
# Sets up what is missing, builds everything, and starts the companion server
# serving the playground. It prints the URL (with its access token) to open.
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
"$ROOT/scripts/setup.sh"
"$ROOT/scripts/build.sh"
step "companion server"
exec "$ROOT/target/release/ferrode-server" --web-dir "$ROOT/web" --pkg-dir "$ROOT/wasm" "$@"
