#!/usr/bin/env bash
# Fuzzes the buffer decoders of ferrode-core with cargo-fuzz on the pinned
# nightly. Installs cargo-fuzz when it is missing.
#
#   ./scripts/fuzz.sh                  every target, 60 s each
#   ./scripts/fuzz.sh base64 600       one target for 10 minutes
#   targets: base64 hex utf8 utf16le search
#            zlib_inflate zlib_gunzip zlib_unzip zlib_brotli_decode crypto_decipher (by name:
#            ./scripts/fuzz.sh zlib_gunzip 600)
source "$(dirname "$0")/lib.sh"
cd "$ROOT/fuzz"
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
TARGETS="${1:-base64 hex utf8 utf16le search}"
SECONDS_EACH="${2:-60}"
for t in $TARGETS; do
  step "fuzz: $t for ${SECONDS_EACH}s"
  mkdir -p "corpus/$t"
  cargo +"$NIGHTLY" fuzz run "$t" "corpus/$t" -- -max_total_time="$SECONDS_EACH" -print_final_stats=1
done
