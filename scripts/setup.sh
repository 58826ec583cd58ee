#!/usr/bin/env bash
# Sets up a fresh Debian/Ubuntu machine for Lifeboat: the system packages it drives or tests against
# (PostgreSQL server and client tools, Chromium, gnome-keyring, D-Bus, libsecret for keytar), then the npm
# dependencies. Idempotent: what is already there is skipped. Needs Node.js 20.19+ and npm.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(postgresql postgresql-contrib chromium gnome-keyring dbus dbus-bin libsecret-1-0 libsecret-1-dev
          poppler-utils zstd python3 make g++)
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

# Electron's binary comes from its own download host; where that is unreachable, skip it: builds, the
# browser mode and all tests work without it, and `npm start` falls back to browser mode.
if [ -z "${ELECTRON_SKIP_BINARY_DOWNLOAD:-}" ] && [ "${CI:-}" = "true" ]; then export ELECTRON_SKIP_BINARY_DOWNLOAD=1; fi
stamp=node_modules/.lifeboat-installed
if [ ! -f "$stamp" ] || [ package-lock.json -nt "$stamp" ] || [ package.json -nt "$stamp" ]; then
  echo "Installing npm dependencies (npm ci)"
  npm ci --no-audit --no-fund
  touch "$stamp"
fi
echo "Setup complete."
