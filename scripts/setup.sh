#!/usr/bin/env bash
# Installs whatever this machine is missing, idempotently and without prompts:
# rustup targets and the pinned nightly, wasm-bindgen-cli at the pinned version,
# npm packages from the lockfile, the reference Node 24 and Node's own test files
# (scripts/node-ref.sh), and (with --browser) Debian's chromium.
source "$(dirname "$0")/lib.sh"
want_browser=0
want_wrk=0
for arg in "$@"; do
  case "$arg" in
    --browser) want_browser=1 ;;
    --wrk) want_wrk=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

step "rust: stable wasm32 target"
if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup target add wasm32-unknown-unknown
fi

step "rust: $NIGHTLY with wasm32 rust-std and rust-src (threaded build)"
if ! rustup toolchain list | grep -q "^$NIGHTLY"; then
  rustup toolchain install "$NIGHTLY" --profile minimal -t wasm32-unknown-unknown -c rust-src
fi
if ! rustup +"$NIGHTLY" target list --installed | grep -qx wasm32-unknown-unknown; then
  rustup +"$NIGHTLY" target add wasm32-unknown-unknown
fi
if ! rustup +"$NIGHTLY" component list --installed | grep -q '^rust-src'; then
  rustup +"$NIGHTLY" component add rust-src
fi

step "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WASM_BINDGEN_VERSION" ]; then
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --locked --force
fi

step "npm packages from the lockfile"
if [ ! -f "$ROOT/node_modules/.package-lock.json" ] || ! cmp -s "$ROOT/package-lock.json" "$ROOT/node_modules/.ferrode-lock-stamp"; then
  (cd "$ROOT" && npm ci --no-audit --no-fund)
  cp "$ROOT/package-lock.json" "$ROOT/node_modules/.ferrode-lock-stamp"
fi

"$ROOT/scripts/node-ref.sh"

apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [ ! -f /var/lib/apt/lists/.ferrode-updated ] || [ -z "$(ls /var/lib/apt/lists/ 2>/dev/null | grep -v -e lock -e partial -e auxfiles)" ]; then
    apt-get update -y
    touch /var/lib/apt/lists/.ferrode-updated
  fi
  # A dpkg unpack error has been seen once on these machines: repair and retry.
  if ! apt-get install -y --no-install-recommends "$@"; then
    apt-get -f install -y || true
    apt-get install -y --no-install-recommends "$@"
  fi
}

if [ "$want_browser" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  step "Debian chromium for browser tests"
  apt_install chromium
fi
if [ "$want_wrk" = 1 ] && ! command -v wrk >/dev/null; then
  step "wrk for load tests"
  apt_install wrk
fi
