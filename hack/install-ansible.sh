#!/usr/bin/env bash
# Debian's ansible package, the contender of `npm run bench -- probe` (fact gathering with
# `ansible all -m setup`); installed when missing. The benchmark calls this script.
set -euo pipefail

[ -x /usr/bin/ansible ] && exit 0
log_dir="${KUBEONE_HACK_LOG_DIR:-/tmp/kubeone-hack}"
mkdir -p "$log_dir"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

echo "install-ansible: installing Debian's ansible package" >&2
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log_dir/ansible-update.log" 2>&1 || {
  echo "install-ansible: apt-get update failed; see $log_dir/ansible-update.log" >&2; tail -n 20 "$log_dir/ansible-update.log" >&2; exit 1; }
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends ansible >"$log_dir/ansible-install.log" 2>&1 || {
  echo "install-ansible: apt-get install failed; see $log_dir/ansible-install.log" >&2; tail -n 20 "$log_dir/ansible-install.log" >&2; exit 1; }
[ -x /usr/bin/ansible ] || { echo "install-ansible: /usr/bin/ansible missing after the install" >&2; exit 1; }
