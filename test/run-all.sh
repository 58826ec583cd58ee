#!/usr/bin/env bash
# `npm test`: the layer rules, the type check, the build, then unit, integration and end-to-end tests.
# Tests run inside their own D-Bus session with a throwaway, unlocked gnome-keyring and their own HOME, so
# they exercise the real keychain without ever touching a real user's.
set -euo pipefail
cd "$(dirname "$0")/.."

echo "== layer rules (dependency-cruiser)"
npx depcruise src --config .dependency-cruiser.cjs
echo "== type check"
npx tsc --noEmit -p tsconfig.json
echo "== build (out/main, out/preload, out/renderer)"
npx electron-vite build

mkdir -p test-results
keyring_home=$(mktemp -d /tmp/lifeboat-keyring.XXXXXX)
trap 'rm -rf "$keyring_home"' EXIT
mkdir -p "$keyring_home/share" "$keyring_home/config" "$keyring_home/cache"
export LIFEBOAT_REAL_HOME="$HOME"

status=0
env HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/share" XDG_CONFIG_HOME="$keyring_home/config" \
    XDG_CACHE_HOME="$keyring_home/cache" npm_config_cache="$LIFEBOAT_REAL_HOME/.npm" \
  dbus-run-session -- sh -c '
    echo -n lifeboat-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec node_modules/.bin/vitest run --reporter=default --reporter=json --outputFile.json=test-results/vitest.json "$@"
  ' vitest "$@" || status=$?

node test/summarise-results.mjs test-results/vitest.json || true
exit $status
