#!/usr/bin/env bash
# Makes sure a Docker engine answers on this machine. Idempotent: when `docker info`
# already works it does nothing. Otherwise it installs Debian's docker.io if needed,
# raises the inotify limits that systemd-in-container hosts exhaust past ~20 hosts,
# starts dockerd in the background and waits for it.
set -euo pipefail

log_dir="${KUBEONE_HACK_LOG_DIR:-/tmp/kubeone-hack}"
mkdir -p "$log_dir"
dockerd_log="$log_dir/dockerd.log"

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

raise_inotify_limits() {
  # systemd in every host container takes inotify instances; the default 128 runs out.
  local cur
  cur=$(cat /proc/sys/fs/inotify/max_user_instances 2>/dev/null || echo 0)
  if [ "$cur" -lt 8192 ]; then as_root sysctl -q -w fs.inotify.max_user_instances=8192 || true; fi
  cur=$(cat /proc/sys/fs/inotify/max_user_watches 2>/dev/null || echo 0)
  if [ "$cur" -lt 1048576 ]; then as_root sysctl -q -w fs.inotify.max_user_watches=1048576 || true; fi
}

raise_inotify_limits

if docker info >/dev/null 2>&1; then
  exit 0
fi

if ! command -v dockerd >/dev/null 2>&1; then
  echo "ensure-docker: installing Debian's docker.io" >&2
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log_dir/apt-update.log" 2>&1 || {
    echo "ensure-docker: apt-get update failed; see $log_dir/apt-update.log" >&2; tail -n 20 "$log_dir/apt-update.log" >&2; exit 1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends docker.io >"$log_dir/apt-install.log" 2>&1 || {
    echo "ensure-docker: installing docker.io failed; see $log_dir/apt-install.log" >&2; tail -n 20 "$log_dir/apt-install.log" >&2; exit 1; }
fi

if ! pgrep -x dockerd >/dev/null 2>&1; then
  echo "ensure-docker: starting dockerd (log: $dockerd_log)" >&2
  # setsid keeps dockerd alive after this script and its caller exit.
  as_root setsid dockerd >"$dockerd_log" 2>&1 < /dev/null &
fi

for _ in $(seq 1 60); do
  if docker info >/dev/null 2>&1; then
    exit 0
  fi
  sleep 1
done

echo "ensure-docker: dockerd did not answer within 60 s. Last lines of $dockerd_log:" >&2
tail -n 30 "$dockerd_log" >&2 || true
exit 1
