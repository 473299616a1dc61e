#!/usr/bin/env bash
# Builds the air-gapped base image from Debian's mirror: debootstrap, then docker import.
# No container registry is needed. The image is labelled with a hash of its inputs and is
# rebuilt only when those inputs change.
# Usage: scripts/build-base-image.sh <node-binary>
set -euo pipefail

node_bin=${1:?usage: build-base-image.sh <path to a node 24 binary>}
image=${HARNESS_BASE_IMAGE:-localhost/librechat-harness/base:bookworm}
suite=bookworm
# curl, ping and nslookup: the guide's docker exec commands. busybox: the LibreChat
# double's wget. python3-*: the Django stub (Debian's Django, cryptography for Fernet,
# requests for its cookie jar). iproute2: the guide's `ip addr show`.
packages=ca-certificates,curl,iputils-ping,bind9-dnsutils,iproute2,busybox,procps,python3,python3-django,python3-cryptography,python3-requests

# The mirror is whatever this host's apt already uses, so no host name lives in the repo.
mirror=${DEBIAN_MIRROR:-}
if [[ -z "$mirror" ]]; then
  # Only active source files (.list/.sources); disabled ones keep other suffixes.
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null \
    | grep -oE '^(URIs:|deb) +[^ ]+' | awk '{print $2}' | grep -v -e security | head -n1) || true
fi
[[ -n "$mirror" ]] || { echo "build-base-image: no Debian mirror found in /etc/apt; set DEBIAN_MIRROR" >&2; exit 1; }

node_version=$("$node_bin" --version)
inputs_hash=$( { cat "$0"; echo "$packages $suite $node_version"; } | sha256sum | cut -c1-16)

existing=$(docker image inspect "$image" --format '{{ index .Config.Labels "io.librechat-harness.inputs-hash" }}' 2>/dev/null || true)
if [[ "$existing" == "$inputs_hash" ]]; then
  echo "build-base-image: $image is up to date ($inputs_hash)"
  exit 0
fi

rootfs=$(mktemp -d /tmp/harness-rootfs.XXXXXX)
log=$(mktemp /tmp/harness-rootfs-log.XXXXXX)
cleanup() { umount "$rootfs/proc" 2>/dev/null || true; rm -rf "$rootfs" "$log"; }
trap cleanup EXIT
fail() { tail -n 30 "$log" >&2; echo "build-base-image: $1 (log above)" >&2; exit 1; }

echo "build-base-image: debootstrap $suite (minbase) from the host's mirror"
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >"$log" 2>&1 || fail "debootstrap failed"
# debootstrap's own --include resolves dependencies poorly (python3-cryptography fails to
# configure); apt inside the chroot resolves them properly.
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
mount -t proc proc "$rootfs/proc"
echo "build-base-image: apt-get install ${packages//,/ }"
chroot "$rootfs" /bin/sh -c "apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ${packages//,/ }" >>"$log" 2>&1 \
  || fail "apt-get install in the chroot failed"
umount "$rootfs/proc"
chroot "$rootfs" apt-get clean
: >"$rootfs/etc/resolv.conf"
install -m 0755 "$node_bin" "$rootfs/usr/local/bin/node"
rm -rf "$rootfs"/var/lib/apt/lists/*

tar -C "$rootfs" -c . | docker import \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENV LANG=C.UTF-8' \
  --change "LABEL io.librechat-harness.inputs-hash=$inputs_hash" \
  --change 'LABEL io.librechat-harness.role=base' \
  --change 'CMD ["/bin/bash"]' \
  - "$image" >/dev/null
echo "build-base-image: built $image ($inputs_hash)"
