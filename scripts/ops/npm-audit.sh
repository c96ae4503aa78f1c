#!/usr/bin/env bash
# Supply chain: `npm audit --omit=dev` must report no high or critical advisory in the production
# dependencies (CI fails otherwise). One exception: a registry without the audit endpoint answers
# 405 and npm says "audit endpoint returned an error"; then nothing could be checked, so this
# prints a loud warning and passes. Any other failure of npm audit fails.
set -uo pipefail
out="$(mktemp)"
err="$(mktemp)"
trap 'rm -f "$out" "$err"' EXIT

# --loglevel: `npm run -s` would otherwise silence the error line this script looks for.
npm audit --omit=dev --audit-level=high --json --loglevel=warn >"$out" 2>"$err"
code=$?

if [ "$code" -eq 0 ]; then
  echo "npm audit: no high or critical advisory in the production dependencies"
  exit 0
fi

if grep -q 'audit endpoint returned an error' "$err" && grep -Eq '"statusCode": *405' "$out"; then
  registry="$(npm config get registry 2>/dev/null || echo 'the registry')"
  echo "WARNING: npm audit did NOT run: ${registry} answered 405 Method Not Allowed to the audit endpoint" >&2
  echo "WARNING: (\"audit endpoint returned an error\"). Production dependencies are unaudited in this run;" >&2
  echo "WARNING: run 'npm audit --omit=dev' where the public registry is reachable." >&2
  exit 0
fi

echo "npm audit failed (exit ${code}):" >&2
cat "$out" >&2
cat "$err" >&2
exit "$code"
