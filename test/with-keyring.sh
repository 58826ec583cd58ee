#!/usr/bin/env bash
# Runs a command inside a private D-Bus session with a throwaway, unlocked gnome-keyring and its own HOME,
# so tests use the real Secret Service without touching a real user's keychain.
#   test/with-keyring.sh node_modules/.bin/vitest run test/integration/keychain.test.ts
set -euo pipefail
keyring_home=$(mktemp -d /tmp/lifeboat-keyring.XXXXXX)
trap 'rm -rf "$keyring_home"' EXIT
mkdir -p "$keyring_home/share" "$keyring_home/config" "$keyring_home/cache"
real_home="$HOME"
status=0
env HOME="$keyring_home" XDG_DATA_HOME="$keyring_home/share" XDG_CONFIG_HOME="$keyring_home/config" \
    XDG_CACHE_HOME="$keyring_home/cache" npm_config_cache="$real_home/.npm" LIFEBOAT_REAL_HOME="$real_home" \
  dbus-run-session -- sh -c '
    echo -n lifeboat-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null
    exec "$@"
  ' with-keyring "$@" || status=$?
exit $status
