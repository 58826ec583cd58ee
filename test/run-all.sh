#!/usr/bin/env bash
# `npm test`: the layer rules, the type check, the build, then unit, integration and end-to-end tests.
# Tests run inside their own D-Bus session with a throwaway, unlocked gnome-keyring (test/with-keyring.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== layer rules (dependency-cruiser)"
npx depcruise src --config .dependency-cruiser.cjs
echo "== type check"
npx tsc --noEmit -p tsconfig.json
echo "== build (out/main, out/preload, out/renderer, out/cli)"
npm run --silent build

mkdir -p test-results
rm -f test-results/vitest.json
status=0
test/with-keyring.sh node_modules/.bin/vitest run --reporter=default --reporter=json \
  --outputFile.json=test-results/vitest.json "$@" || status=$?

node test/summarise-results.mjs test-results/vitest.json || true
exit $status
