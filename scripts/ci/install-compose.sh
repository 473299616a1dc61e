#!/usr/bin/env bash
# Installs Docker Compose v2 as the `docker compose` CLI plugin, from Debian 13 (trixie)'s
# docker-compose package (a static binary; bookworm has no Compose v2). It fetches only that one
# .deb with a throw-away apt configuration, so the host's sources and installed packages stay as
# they are. Idempotent: an installed Compose v2 is kept.
set -euo pipefail
plugin=/usr/libexec/docker/cli-plugins/docker-compose
if docker compose version 2>/dev/null | grep -q 'v2\.'; then
  docker compose version
  exit 0
fi
# The host's own Debian mirror (no host name lives in the repository).
mirror=${DEBIAN_MIRROR:-}
if [[ -z "$mirror" ]]; then
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -oE '^(URIs:|deb) +[^ ]+' | awk '{print $2}' | grep -v -e security | head -n1) || true
fi
[[ -n "$mirror" ]] || { echo "install-compose: no Debian mirror found in /etc/apt; set DEBIAN_MIRROR" >&2; exit 1; }
work=$(mktemp -d /tmp/compose-deb.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial"
echo "deb $mirror trixie main" >"$work/sources.list"
apt_opts=(-o "Dir::Etc::SourceList=$work/sources.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives" -o APT::Get::List-Cleanup=false -o APT::Sandbox::User=root)
apt-get "${apt_opts[@]}" update -qq
(cd "$work" && apt-get "${apt_opts[@]}" download -qq docker-compose)
dpkg-deb -x "$work"/docker-compose_*.deb "$work/root"
install -D -m 0755 "$work/root/usr/libexec/docker/cli-plugins/docker-compose" "$plugin"
docker compose version
