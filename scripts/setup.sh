#!/usr/bin/env bash
# Installs the system packages promptctl needs on Debian (run as root). Idempotent: installs only what is missing.
#   scripts/setup.sh          build and run: libcurl, SQLite, libyaml, Snowball (libstemmer), pkg-config, git
#   scripts/setup.sh --test   also what the tests need: chromium (web form tests), python3-venv and g++ (local LLM),
#                             prometheus (its promtool checks both /metrics outputs), postgresql-15 (the store tests
#                             start a throwaway cluster with its initdb and pg_ctl on a loopback port) and openssl
#                             (the certificates of the TLS-only cluster)
set -euo pipefail

packages=(libcurl4-openssl-dev libsqlite3-dev libyaml-dev libstemmer-dev pkg-config git ca-certificates curl)
if [ "${1:-}" = "--test" ]; then
  packages+=(chromium python3-venv g++ prometheus postgresql-15 openssl)
fi

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
command -v swift >/dev/null || { echo "setup: the Swift toolchain (6.x) must be on PATH" >&2; exit 2; }
