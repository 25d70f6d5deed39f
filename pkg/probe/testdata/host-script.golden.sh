#!/bin/bash
# kubeone probe v1: read-only; prints one JSON object of string leaves.
main() {
set -u
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/bin
shopt -s nullglob
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# JSON string of $1 (backslash, quote, control characters escaped).
js() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/\\n}
  s=${s//$'\r'/\\r}
  s=${s//$'\t'/\\t}
  printf '"%s"' "$(printf '%s' "$s" | tr -d '\000-\010\013\014\016-\037')"
}
fields=()
put() { fields+=("$(js "$1"):$(js "$2")"); }
# a map: put_map NAME then pairs in "$tmp/map.NAME" as KEY<TAB>VALUE lines
put_map() {
  local name=$1 entries=() k v
  if [ -f "$tmp/map.$name" ]; then
    while IFS=$'\t' read -r k v; do entries+=("$(js "$k"):$(js "$v")"); done < "$tmp/map.$name"
  fi
  local IFS=,
  fields+=("$(js "$name"):{${entries[*]}}")
}
small() { [ -f "$1" ] && head -c 4096 "$1"; }

# Slow commands (version flags of Go binaries, etcd and apiserver checks) run in parallel.
( containerd --version > "$tmp/containerd" 2>/dev/null ) &
( kubelet --version > "$tmp/kubelet" 2>/dev/null ) &
( kubeadm version -o short > "$tmp/kubeadm" 2>/dev/null ) &
( kubectl version --client > "$tmp/kubectl" 2>/dev/null ) &
( curl -sk --max-time 3 https://127.0.0.1:6443/healthz > "$tmp/healthz" 2>/dev/null ) &
if [ -f /etc/kubernetes/pki/etcd/healthcheck-client.crt ]; then
  etcd_curl() {
    curl -s --max-time 3 --cacert /etc/kubernetes/pki/etcd/ca.crt \
      --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key "$@"
  }
  ( etcd_curl -X POST -d '{}' https://127.0.0.1:2379/v3/cluster/member/list > "$tmp/etcdMembers" 2>/dev/null ) &
  ( etcd_curl https://127.0.0.1:2379/health > "$tmp/etcdHealth" 2>/dev/null ) &
fi

put hostname "$(hostname 2>/dev/null || cat /proc/sys/kernel/hostname)"
osr() { sed -n "s/^$1=//p" /etc/os-release 2>/dev/null | head -n1 | tr -d '"'; }
put osId "$(osr ID)"
put osVersionId "$(osr VERSION_ID)"
put osPrettyName "$(osr PRETTY_NAME)"
put kernel "$(uname -r)"
put arch "$(uname -m)"
put cpus "$(nproc 2>/dev/null || grep -c ^processor /proc/cpuinfo)"
put memTotalKiB "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
put swapDevices "$(awk 'NR > 1' /proc/swaps | wc -l)"
put fstabSwap "$(grep -Ec '^[^#].*[[:space:]]swap[[:space:]]' /etc/fstab 2>/dev/null)"
put modules "$(for m in overlay br_netfilter; do [ -d /sys/module/$m ] && printf '%s ' $m; done)"
put ipForward "$(cat /proc/sys/net/ipv4/ip_forward 2>/dev/null)"
put bridgeNfCallIptables "$(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null)"
put units "$(systemctl show containerd kubelet -p Id,LoadState,ActiveState,SubState,UnitFileState 2>/dev/null)"
put kubeletConf "$([ -f /etc/kubernetes/kubelet.conf ] && echo yes)"
put adminConf "$([ -f /etc/kubernetes/admin.conf ] && echo yes)"
put binariesRecord "$(small /etc/kubeone/binaries.json)"
put dpkgKubelet "$(dpkg-query -W -f='${Status} ${Version}' kubelet 2>/dev/null)"
put lock "$(small /var/lib/kubeone/lock.json)"
put inflight "$(small /var/lib/kubeone/inflight.json)"

for f in '/etc/containerd/certs.d/'*'/hosts.toml' '/etc/containerd/config.toml' '/etc/crictl.yaml' '/etc/systemd/system/containerd.service.d/'*'.conf' '/etc/systemd/system/kubelet.service' '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf' '/var/lib/kubelet/config.yaml' '/var/lib/kubelet/kubeadm-flags.env'; do
  [ -f "$f" ] && printf '%s\t%s\n' "$f" "$(sha256sum < "$f" | cut -d' ' -f1)"
done > "$tmp/map.files"
put_map files
for f in /etc/kubernetes/manifests/*.yaml; do
  printf '%s\t%s\n' "$(basename "$f" .yaml)" "$(sed -n 's/^[[:space:]-]*image:[[:space:]]*//p' "$f" | head -n1 | tr -d "\"'")"
done > "$tmp/map.staticPods"
put_map staticPods
if command -v openssl >/dev/null; then
  for c in apiserver.crt apiserver-kubelet-client.crt apiserver-etcd-client.crt ca.crt front-proxy-ca.crt front-proxy-client.crt etcd/ca.crt etcd/server.crt etcd/peer.crt etcd/healthcheck-client.crt; do
    f=/etc/kubernetes/pki/$c
    [ -f "$f" ] && printf '%s\t%s\n' "$c" "$(openssl x509 -noout -enddate -in "$f" 2>/dev/null | sed 's/^notAfter=//')"
  done > "$tmp/map.certs"
fi
put_map certs

wait
for k in containerd kubelet kubeadm kubectl healthz etcdMembers etcdHealth; do
  put "$k" "$(small "$tmp/$k" | head -c 4096)"
done
local IFS=,
printf '{%s}\n' "${fields[*]}"
}
main </dev/null
