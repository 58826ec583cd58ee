#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Lifeboat: the system packages it drives or tests against
# (PostgreSQL server and client tools; pgBackRest and Barman, the engines Lifeboat drives for teams that already
# run them, pgBackRest also the benchmarks' peer; Ceph's radosgw, a real S3 server for the repository store tests;
# Chromium, gnome-keyring, D-Bus, libsecret for keytar), the npm
# dependencies, Electron's binary where its download host answers, and the built CLI. Idempotent: what is
# already there is skipped. Needs Node.js 20.19+ and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(postgresql postgresql-contrib pgbackrest barman chromium gnome-keyring dbus dbus-bin libsecret-1-0 libsecret-1-dev
          poppler-utils zstd python3 make g++ radosgw ceph-mon ceph-osd)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# npm ci never fetches Electron's binary: its download host is often unreachable (offline machines, CI),
# and a failed download would stop the whole install. It is fetched on its own below.
stamp=node_modules/.lifeboat-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  echo "Installing npm dependencies (npm ci)"
  ELECTRON_SKIP_BINARY_DOWNLOAD=1 npm ci --no-audit --no-fund
  touch "$stamp"
fi

# The desktop app needs Electron's binary; builds, browser mode and every test work without it, and
# `npm start` opens browser mode when it is missing.
if [ -z "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ] && [ "${CI:-}" != "true" ] && ! node -e "require('fs').accessSync(require('electron'))" 2>/dev/null; then
  if ! reason=$(node node_modules/electron/install.js 2>&1 >/dev/null); then
    echo "Electron's binary could not be downloaded ($(printf '%s\n' "$reason" | head -n 1)): npm start will open browser mode; retry later with: node node_modules/electron/install.js"
  fi
fi

npm run --silent build:cli
echo "Setup complete."
