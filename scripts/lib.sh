# Shared settings for the scripts in this folder. Sourced, not run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export ROOT
# Pinned toolchain pieces (see ../shared/TOOLCHAIN.md for why these versions).
NIGHTLY="nightly-2026-05-20"
WASM_BINDGEN_VERSION="$(sed -n 's/^wasm-bindgen = "=\(.*\)"$/\1/p' "$ROOT/wasm/Cargo.toml")"
export NIGHTLY WASM_BINDGEN_VERSION
export PATH="$HOME/.cargo/bin:$PATH"
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
step() { printf '\n==> %s\n' "$*"; }
