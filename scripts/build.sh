#!/usr/bin/env bash
# Builds everything in order: the two wasm builds with their JS bindings
# (optimised by wasm-opt when present), then the companion server.
# Assumes scripts/setup.sh has run.
#
#   ./scripts/build.sh                 everything (what test.sh and run.sh use)
#   ./scripts/build.sh st mt server    only the named parts (web: the playground page)
#   FERRODE_WASM_PROFILE=release ...   skip LTO for a quicker inner loop
#   FERRODE_WASM_OPT=0 ...             skip wasm-opt
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
PARTS="${*:-st mt server web}"
PROFILE="${FERRODE_WASM_PROFILE:-wasm}"
want() { [[ " $PARTS " == *" $1 "* ]]; }

# The wasm ships to users: panic-location strings must not carry the build
# machine's paths (registry sources, rust-src, the checkout).
REMAP="--remap-path-prefix=$HOME=~ --remap-path-prefix=$ROOT=ferrode"
WASM_FEATURES_ST="-C target-feature=+simd128 $REMAP"
WASM_FEATURES_MT='-C target-feature=+atomics,+bulk-memory,+simd128
  -C link-arg=--shared-memory -C link-arg=--max-memory=1073741824
  -C link-arg=--import-memory -C link-arg=--export=__wasm_init_tls
  -C link-arg=--export=__tls_size -C link-arg=--export=__tls_align
  -C link-arg=--export=__tls_base '"$REMAP"
OPT_FLAGS=(-O3 --enable-simd --enable-bulk-memory --enable-nontrapping-float-to-int
  --enable-sign-ext --enable-mutable-globals --enable-multivalue --enable-reference-types)

optimise() { # $1 = .wasm file, rest = extra flags
  local file="$1"; shift
  if [ "${FERRODE_WASM_OPT:-1}" = 1 ] && [ -x "$ROOT/node_modules/.bin/wasm-opt" ]; then
    "$ROOT/node_modules/.bin/wasm-opt" "${OPT_FLAGS[@]}" "$@" "$file" -o "$file.opt"
    mv "$file.opt" "$file"
  else
    echo "wasm-opt not found: leaving $file unoptimised"
  fi
}

if want st; then
step "wasm: single-threaded build (stable)"
RUSTFLAGS="$WASM_FEATURES_ST" CARGO_TARGET_DIR="$ROOT/target/wasm-st" \
  cargo build -p ferrode-wasm --target wasm32-unknown-unknown --profile "$PROFILE"
rm -rf wasm/pkg/st
wasm-bindgen --target web --out-dir wasm/pkg/st --out-name ferrode_wasm \
  target/wasm-st/wasm32-unknown-unknown/$PROFILE/ferrode_wasm.wasm
optimise wasm/pkg/st/ferrode_wasm_bg.wasm
fi

if want st || want mt; then
step "wasm: brotli module (its own wasm, loaded by ferrode/zlib; both builds use it)"
RUSTFLAGS="$WASM_FEATURES_ST" CARGO_TARGET_DIR="$ROOT/target/wasm-st" \
  cargo build -p ferrode-wasm-brotli --target wasm32-unknown-unknown --profile "$PROFILE"
rm -rf wasm/pkg/brotli
wasm-bindgen --target web --out-dir wasm/pkg/brotli --out-name ferrode_brotli \
  target/wasm-st/wasm32-unknown-unknown/$PROFILE/ferrode_wasm_brotli.wasm
# -O3 without binaryen's inlining: the encoder's match search measured 7-20%
# faster without it (best-of-N CPU time, 16 MiB at quality 5), the decoder
# about the same, the size the same.
optimise wasm/pkg/brotli/ferrode_brotli_bg.wasm --skip-pass=inlining-optimizing --skip-pass=inlining
fi

if want mt; then
step "wasm: multi-threaded build ($NIGHTLY, atomics, shared memory)"
RUSTFLAGS="$(echo $WASM_FEATURES_MT)" CARGO_TARGET_DIR="$ROOT/target/wasm-mt" \
  cargo +"$NIGHTLY" build -p ferrode-wasm --features threads --target wasm32-unknown-unknown \
  --profile "$PROFILE" -Z build-std=panic_abort,std
rm -rf wasm/pkg/mt
wasm-bindgen --target web --out-dir wasm/pkg/mt --out-name ferrode_wasm \
  target/wasm-mt/wasm32-unknown-unknown/$PROFILE/ferrode_wasm.wasm
optimise wasm/pkg/mt/ferrode_wasm_bg.wasm --enable-threads
fi

if want web; then
step "playground page (web/dist: examples, editor, runtime bundles)"
node web/tools/build.mjs
fi

if want server; then
step "companion server"
cargo build --release -p ferrode-server
fi
ls -l wasm/pkg/*/ferrode_*_bg.wasm target/release/ferrode-server 2>/dev/null || true
