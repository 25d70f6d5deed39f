#!/usr/bin/env bash
# Builds the sandbox host image kubeone-host:<recipe-hash> (+ :latest): Debian 12
# from `debootstrap --variant=minbase`, systemd as init, sshd (keys only), sudo,
# the tools the product and the Kubernetes simulator use, apt lists kept and the
# containerd/runc .debs pre-downloaded. Rebuilt only when the recipe (this file
# and hack/host-image/) changes; otherwise it only re-tags and exits.
#
# Mirror: KUBEONE_DEBIAN_MIRROR (and optionally KUBEONE_DEBIAN_SECURITY_MIRROR),
# else the Debian entries of this machine's apt sources.
# KUBEONE_HOST_IMAGE_FORCE=1 rebuilds even when the image is present (fresh packages).
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
recipe_dir="$here/host-image"
repo=kubeone-host
suite=bookworm
log_dir="${KUBEONE_HACK_LOG_DIR:-/tmp/kubeone-hack}"
cache_dir="${KUBEONE_HOST_IMAGE_CACHE:-/var/cache/kubeone-host-image}"
mkdir -p "$log_dir"
log="$log_dir/build-host-image.log"

say() { echo "build-host-image: $*" >&2; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

recipe_hash() {
  # Content and relative names of every recipe file, in a stable order.
  (cd "$here" && { echo build-host-image.sh; find host-image -type f | LC_ALL=C sort; } |
    while read -r f; do echo "== $f"; cat "$f"; done) | sha256sum | cut -c1-12
}

tag="$repo:$(recipe_hash)"

have_image() { [ "${KUBEONE_HOST_IMAGE_FORCE:-}" != 1 ] && docker image inspect "$tag" >/dev/null 2>&1; }

tag_latest() {
  if [ "$(docker image inspect -f '{{.Id}}' "$repo:latest" 2>/dev/null)" != "$(docker image inspect -f '{{.Id}}' "$tag")" ]; then
    docker tag "$tag" "$repo:latest"
  fi
}

if have_image; then
  tag_latest
  say "$tag is present (also tagged $repo:latest)"
  exit 0
fi

# One build at a time on this machine: a second caller waits, then finds the image.
exec 9>"$log_dir/build-host-image.lock"
if ! flock -n 9; then
  say "another build is running; waiting for it"
  flock 9
fi
if have_image; then tag_latest; say "$tag is present"; exit 0; fi

# --- the Debian mirror -------------------------------------------------------
# Prints the first URI of a deb822 or one-line apt source whose suite matches $1.
source_uri_for_suite() {
  local want=$1 f
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    awk -v want="$want" '
      function flush() { if (types ~ /(^| )deb( |$)/ && (" " suites " ") ~ (" " want " ") && uri != "") { print uri; found=1; exit } }
      /^[ \t]*$/ { flush(); types=""; suites=""; uri=""; next }
      /^[ \t]*#/ { next }
      tolower($1) == "types:"  { $1=""; types=$0 }
      tolower($1) == "uris:"   { uri=$2 }
      tolower($1) == "suites:" { $1=""; suites=$0 }
      END { if (!found) flush() }' "$f" | head -n1
  done | head -n1
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    awk -v want="$want" '$1 == "deb" { i=2; if ($i ~ /^\[/) { while ($i !~ /\]$/) i++; i++ } if ($(i+1) == want) { print $i; exit } }' "$f"
  done | head -n1
}

mirror="${KUBEONE_DEBIAN_MIRROR:-$(source_uri_for_suite "$suite" | head -n1)}"
security_mirror="${KUBEONE_DEBIAN_SECURITY_MIRROR:-$(source_uri_for_suite "$suite-security" | head -n1)}"
if [ -z "$mirror" ]; then
  say "no Debian mirror: set KUBEONE_DEBIAN_MIRROR or add a '$suite' entry to /etc/apt/sources.list.d/"
  exit 1
fi

# --- debootstrap on this machine ---------------------------------------------
if ! command -v debootstrap >/dev/null 2>&1; then
  say "installing debootstrap (apt-get)"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >>"$log" 2>&1
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >>"$log" 2>&1
fi

list() { grep -v '^\s*\(#\|$\)' "$1" | tr '\n' ' '; }

start=$(date +%s)
say "building $tag from $suite (log: $log)"
work=$(mktemp -d /var/tmp/kubeone-host-image.XXXXXX)
root="$work/rootfs"
cleanup() {
  for m in var/cache/apt/archives dev/pts dev proc sys; do
    mountpoint -q "$root/$m" 2>/dev/null && as_root umount -l "$root/$m" || true
  done
  # Never rm -rf through a bind mount of this machine's /dev or package cache.
  if grep -q " $work/" /proc/mounts; then
    say "left $work in place: something is still mounted below it"
  else
    as_root rm -rf "$work"
  fi
}
trap cleanup EXIT
as_root mkdir -p "$cache_dir/debs" "$root"

step() { say "$(( $(date +%s) - start ))s: $*"; }
step "debootstrap --variant=minbase"
as_root debootstrap --variant=minbase --cache-dir="$cache_dir/debs" "$suite" "$root" "$mirror" >>"$log" 2>&1 || {
  say "debootstrap failed; last lines of $log:"; tail -n 30 "$log" >&2; exit 1; }

in_root() { as_root chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"; }

# apt sources of the host: the same mirror the image was built from.
{
  printf 'Types: deb\nURIs: %s\nSuites: %s %s-updates\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$mirror" "$suite" "$suite"
  if [ -n "$security_mirror" ]; then
    printf '\nTypes: deb\nURIs: %s\nSuites: %s-security\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$security_mirror" "$suite"
  fi
} | as_root tee "$root/etc/apt/sources.list.d/debian.sources" >/dev/null
as_root rm -f "$root/etc/apt/sources.list"
# No service may start inside the chroot while packages install; dpkg skips fsync.
printf '#!/bin/sh\nexit 101\n' | as_root tee "$root/usr/sbin/policy-rc.d" >/dev/null
as_root chmod +x "$root/usr/sbin/policy-rc.d"
echo force-unsafe-io | as_root tee "$root/etc/dpkg/dpkg.cfg.d/kubeone-build-unsafe-io" >/dev/null

as_root mount -t proc proc "$root/proc"
as_root mount --bind /dev "$root/dev"
as_root mount --bind /dev/pts "$root/dev/pts"
# Downloads of the installed packages go to a cache on this machine (faster rebuilds);
# the image's own cache only gets the pre-downloaded ones below.
as_root mount --bind "$cache_dir/debs" "$root/var/cache/apt/archives"

step "apt-get update + install: $(list "$recipe_dir/packages.txt")"
in_root apt-get update -q >>"$log" 2>&1
in_root apt-get install -y -q --no-install-recommends $(list "$recipe_dir/packages.txt") >>"$log" 2>&1 || {
  say "apt-get install failed; last lines of $log:"; tail -n 30 "$log" >&2; exit 1; }
as_root umount "$root/var/cache/apt/archives"

step "download only: $(list "$recipe_dir/download-only.txt")"
# debootstrap leaves its own .debs in the image's cache: drop them, keep the lists.
in_root apt-get clean
# With Recommends, as the product's plain `apt-get install containerd` wants them.
in_root apt-get install -y -q --download-only $(list "$recipe_dir/download-only.txt") >>"$log" 2>&1

step "configure"
as_root cp -a "$recipe_dir/files/." "$root/"
as_root chown -R root:root "$root/etc/ssh/sshd_config.d" "$root/etc/sudoers.d" "$root/etc/systemd/system"
as_root cp "$recipe_dir/configure-rootfs.sh" "$recipe_dir/masked-units.txt" "$root/tmp/"
in_root bash /tmp/configure-rootfs.sh /tmp/masked-units.txt >>"$log" 2>&1 || {
  say "configure-rootfs.sh failed; last lines of $log:"; tail -n 30 "$log" >&2; exit 1; }
as_root rm -f "$root/tmp/configure-rootfs.sh" "$root/tmp/masked-units.txt" "$root/usr/sbin/policy-rc.d" \
  "$root/etc/dpkg/dpkg.cfg.d/kubeone-build-unsafe-io"
as_root rm -rf "$root/var/log/"*.log "$root/var/cache/debconf/"*-old

for m in dev/pts dev proc; do as_root umount "$root/$m"; done

step "docker import"
as_root tar --numeric-owner --xattrs -C "$root" -c . | docker import \
  --change 'CMD ["/sbin/init"]' \
  --change 'ENV container=docker' \
  --change "LABEL io.kubeone.host-image.recipe=${tag#*:}" \
  - "$tag" >>"$log"
tag_latest
# Older recipes' images go, unless a container still uses them.
docker image ls --format '{{.Repository}}:{{.Tag}}' "$repo" | grep -v -x -e "$tag" -e "$repo:latest" |
  xargs -r docker rmi >/dev/null 2>&1 || true
say "built $tag (also $repo:latest) in $(( $(date +%s) - start ))s"
