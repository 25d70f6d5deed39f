// The one script the probe runs per host (a single SSH round trip). It only reads, runs as
// root (the caller runs it as `sudo -n bash -c SCRIPT`), must succeed on a fresh host with nothing
// installed, and prints ONE JSON object whose leaves are strings: parsing and
// interpretation happen on our side (host-facts.ts), where they are unit-tested.
// It prints no file contents except the small kubeone records (lock, in-flight marker,
// binaries origin), which hold no secrets; everything else is hashes and versions.

import { ENCRYPTION_DIR } from '../encryption/config.js';
import { CONTROL_PLANE_FILE_PATHS } from '../kubeadm/control-plane-files.js';
import { APISERVER_BIND_PORT } from '../kubeadm/network.js';
import { SYSTEMD_RESOLVED_RESOLV_CONF } from '../kubeadm/render-files.js';
import { shq } from '../scripts/shell.js';

export const HOST_SCRIPT_VERSION = 7;

export const DEFAULT_MANAGED_PATHS = [
  '/etc/containerd/config.toml',
  '/etc/containerd/certs.d/*/hosts.toml',
  '/etc/crictl.yaml',
  '/etc/systemd/system/containerd.service.d/*.conf',
  '/var/lib/kubelet/kubeadm-flags.env',
  '/var/lib/kubelet/config.yaml',
  '/etc/systemd/system/kubelet.service',
  '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf',
  '/etc/systemd/system/kubelet.service.d/http-proxy.conf',
  '/etc/kubeone/proxy.env',
  ...CONTROL_PLANE_FILE_PATHS,
];

/** Directories of the files control-plane components read at start (their modification times tell whether a restart is due). */
export const CONTROL_PLANE_INPUT_DIRS = ['/etc/kubernetes/audit', '/etc/kubernetes/admission', ENCRYPTION_DIR, '/etc/kubeone/certs'];



/** Files whose hashes feed ComponentFacts (always probed, whatever managedPaths says). */
export const CONTAINERD_CONFIG = '/etc/containerd/config.toml';
export const KUBELET_FLAGS = '/var/lib/kubelet/kubeadm-flags.env';
export const KUBELET_CONFIG = '/var/lib/kubelet/config.yaml';

export const LOCK_FILE = '/var/lib/kubeone/lock.json';
export const INFLIGHT_FILE = '/var/lib/kubeone/inflight.json';
export const BINARIES_RECORD = '/etc/kubeone/binaries.json';

/** Control-plane certificates whose expiry is recorded (as KubeOne checks them). */
export const PKI_CERTS = [
  'apiserver.crt',
  'apiserver-kubelet-client.crt',
  'apiserver-etcd-client.crt',
  'ca.crt',
  'front-proxy-ca.crt',
  'front-proxy-client.crt',
  'etcd/ca.crt',
  'etcd/server.crt',
  'etcd/peer.crt',
  'etcd/healthcheck-client.crt',
];

export interface HostScriptOptions {
  managedPaths?: string[];
  /** Port the local kube-apiserver listens on (kubeadm's bind port). */
  apiserverPort?: number;
  /**
   * Run `hostname -f` (default true). Off for a host whose Node name does not come from it
   * (pkg/api/node-names.ts needsFqdn): one fork and exec fewer on every such host.
   */
  detectFqdn?: boolean;
}

export function managedPathList(managedPaths: string[] = DEFAULT_MANAGED_PATHS): string[] {
  return [...new Set([CONTAINERD_CONFIG, KUBELET_FLAGS, KUBELET_CONFIG, ...managedPaths])].sort();
}

export function renderHostScript(options: HostScriptOptions = {}): string {
  const paths = managedPathList(options.managedPaths);
  for (const p of paths) {
    if (!p.startsWith('/') || /[\n'"`$\\]/.test(p)) throw new Error(`managed path must be absolute and plain: ${JSON.stringify(p)}`);
  }
  const port = options.apiserverPort ?? APISERVER_BIND_PORT;
  return `#!/bin/bash
# kubeone probe v${HOST_SCRIPT_VERSION}: read-only; prints one JSON object of string leaves.
# Written to fork as little as possible: it runs on every host at once, often on small
# machines; on a fresh host it starts no other programs than hostname -f (the node name, as
# KubeOne detects it, under timeout; not even that when the manifest names the Node) and
# systemctl (not even that when no unit file exists).
main() {
set -u
export LC_ALL=C PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin:/opt/bin
shopt -s nullglob
declare -A jobfd=()

# J = JSON string of $1 (backslash, quote, newline, tab escaped; other control characters dropped).
js() {
  local s=$1
  s=\${s//\\\\/\\\\\\\\}
  s=\${s//\\"/\\\\\\"}
  s=\${s//$'\\n'/\\\\n}
  s=\${s//$'\\r'/\\\\r}
  s=\${s//$'\\t'/\\\\t}
  if [[ $s == *[[:cntrl:]]* ]]; then s=$(printf '%s' "$s" | tr -d '\\000-\\037\\177'); fi
  J="\\"$s\\""
}
fields=()
encfields=()
put() { js "$1"; local k=$J; js "$2"; fields+=("$k:$J"); }
# put_map NAME TEXT: TEXT holds KEY<TAB>VALUE lines; added as a JSON object
put_map() {
  local name=$1 entries=() k v key
  while IFS=$'\\t' read -r k v; do
    [ -n "$k" ] || continue
    js "$k"; key=$J; js "$v"; entries+=("$key:$J")
  done <<< "$2"
  js "$name"
  local IFS=,
  fields+=("$J:{\${entries[*]}}")
}
# V = content of file $1 ('' when absent)
slurp() { V=; [ -f "$1" ] && { IFS= read -r -d '' V < "$1" || true; }; }
have() { command -v "$1" >/dev/null; }
# bg NAME CMD...: runs CMD in the background, its output read into field NAME at the end
# (through a pipe: no temp files, so a fresh host's probe starts no mktemp or rm).
bg() { local name=$1 fd; shift; exec {fd}< <("$@" 2>/dev/null); jobfd[$name]=$fd; }
# V = what job $1 printed ('' when it did not run); waits for the job to finish.
collect() {
  V=; local fd=\${jobfd[$1]:-}
  [ -n "$fd" ] || return 0
  IFS= read -r -d '' -u "$fd" V || true
  exec {fd}<&-
}

# Slow commands (version flags of Go binaries, apiserver and etcd checks, certificates) run in parallel.
# hostname -f may wait for DNS, hence the timeout.
${options.detectFqdn === false ? '' : 'if have hostname; then bg fqdn timeout 5 hostname -f; fi'}
if have containerd; then bg containerd containerd --version; fi
if have kubelet; then bg kubelet kubelet --version; fi
if have kubeadm; then bg kubeadm kubeadm version -o short; fi
if have kubectl; then bg kubectl kubectl version --client; fi
if [ -f /etc/kubernetes/manifests/kube-apiserver.yaml ]; then
  bg healthz curl -sk --max-time 3 https://127.0.0.1:${port}/healthz
fi
if [ -f /etc/kubernetes/manifests/etcd.yaml ] && [ -f /etc/kubernetes/pki/etcd/healthcheck-client.crt ]; then
  etcd_curl() {
    curl -s --max-time 3 --cacert /etc/kubernetes/pki/etcd/ca.crt \\
      --cert /etc/kubernetes/pki/etcd/healthcheck-client.crt --key /etc/kubernetes/pki/etcd/healthcheck-client.key "$@"
  }
  bg etcdMembers etcd_curl -X POST -d '{}' https://127.0.0.1:2379/v3/cluster/member/list
  bg etcdHealth etcd_curl https://127.0.0.1:2379/health
fi
if [ -d /etc/kubernetes/pki ] && have openssl; then
  cert_dates() {
    local c f
    for c in ${PKI_CERTS.join(' ')}; do
      f=/etc/kubernetes/pki/$c
      [ -f "$f" ] && printf '%s\\t%s\\n' "$c" "$(openssl x509 -noout -enddate -in "$f" 2>/dev/null)"
    done
    return 0
  }
  # The serving certificate's names (renewal re-issues it when apiEndpoint names are missing).
  serving_names() {
    local f=/etc/kubernetes/pki/apiserver.crt
    if [ -f "$f" ]; then openssl x509 -noout -ext subjectAltName -in "$f" 2>/dev/null | tail -n +2; fi
  }
  bg certs cert_dates
  bg apiserverSans serving_names
fi

# systemctl only when a unit file of either service exists anywhere systemd looks.
units=
for d in /etc/systemd/system /run/systemd/system /usr/local/lib/systemd/system /lib/systemd/system /usr/lib/systemd/system; do
  if [ -e "$d/containerd.service" ] || [ -e "$d/kubelet.service" ]; then
    units=$(systemctl show containerd kubelet -p Id,LoadState,ActiveState,SubState,UnitFileState 2>/dev/null)
    break
  fi
done

slurp /proc/sys/kernel/hostname; put hostname "\${V%$'\\n'}"
os_id= os_version= os_pretty=
if [ -f /etc/os-release ]; then
  while IFS='=' read -r k v; do
    v=\${v#\\"}; v=\${v%\\"}
    case $k in ID) os_id=$v ;; VERSION_ID) os_version=$v ;; PRETTY_NAME) os_pretty=$v ;; esac
  done < /etc/os-release
fi
put osId "$os_id"
put osVersionId "$os_version"
put osPrettyName "$os_pretty"
slurp /proc/sys/kernel/osrelease; put kernel "\${V%$'\\n'}"
# bash's own machine type is the kernel's for distribution shells (x86_64, aarch64).
put arch "$HOSTTYPE"
# online CPUs, e.g. "0-3,6" -> 5
cpus=0
slurp /sys/devices/system/cpu/online
IFS=, read -r -a ranges <<< "\${V%$'\\n'}"
for r in "\${ranges[@]}"; do
  if [[ $r == *-* ]]; then cpus=$((cpus + \${r#*-} - \${r%-*} + 1)); elif [ -n "$r" ]; then cpus=$((cpus + 1)); fi
done
put cpus "$cpus"
mem=
while read -r k v _; do [ "$k" = MemTotal: ] && { mem=$v; break; }; done < /proc/meminfo
put memTotalKiB "$mem"
swaps=0
{ read -r _; while read -r _; do swaps=$((swaps + 1)); done; } < /proc/swaps
put swapDevices "$swaps"
fstab_swap=0
if [ -f /etc/fstab ]; then
  while read -r dev _ type _; do
    [[ $dev == \\#* || -z $dev ]] && continue
    [ "$type" = swap ] && fstab_swap=$((fstab_swap + 1))
  done < /etc/fstab
fi
put fstabSwap "$fstab_swap"
mods=
# By effect, as host.prerequisites checks them: a built-in module has no /sys/module entry,
# and containers cannot modprobe.
while read -r _ fs; do [ "$fs" = overlay ] && mods+="overlay "; done < /proc/filesystems
[ -e /proc/sys/net/bridge/bridge-nf-call-iptables ] && mods+="br_netfilter "
put modules "$mods"
slurp /proc/sys/net/ipv4/ip_forward; put ipForward "\${V%$'\\n'}"
slurp /proc/sys/net/bridge/bridge-nf-call-iptables; put bridgeNfCallIptables "\${V%$'\\n'}"
put units "$units"
v=; [ -f /etc/kubernetes/kubelet.conf ] && v=yes; put kubeletConf "$v"
v=; [ -f /etc/kubernetes/admin.conf ] && v=yes; put adminConf "$v"
v=; [ -f ${SYSTEMD_RESOLVED_RESOLV_CONF} ] && v=yes; put systemdResolved "$v"
slurp ${BINARIES_RECORD}; put binariesRecord "$V"
v=
if [ -z "$V" ] && have kubelet && have dpkg-query; then v=$(dpkg-query -W -f='\${Status} \${Version}' kubelet 2>/dev/null); fi
put dpkgKubelet "$v"
slurp ${LOCK_FILE}; put lock "$V"
slurp ${INFLIGHT_FILE}; put inflight "$V"

existing=()
for f in ${paths.map(shq).map((p) => p.replace(/\*/g, "'*'")).join(' ')}; do
  [ -f "$f" ] && existing+=("$f")
done
sums=
if [ \${#existing[@]} -gt 0 ]; then
  while read -r sum f; do sums+="$f"$'\\t'"$sum"$'\\n'; done < <(sha256sum -- "\${existing[@]}")
fi
put_map files "$sums"
pods=
for f in /etc/kubernetes/manifests/*.yaml; do
  image=
  while read -r line; do
    line=\${line#- }
    if [[ $line == image:* ]]; then image=\${line#image:}; image=\${image# }; image=\${image//\\"/}; image=\${image//\\'/}; break; fi
  done < "$f"
  n=\${f##*/}
  pods+="\${n%.yaml}"$'\\t'"$image"$'\\n'
done
put_map staticPods "$pods"

# Control-plane inputs: when each file the components read at start last changed.
inputs=
for d in ${CONTROL_PLANE_INPUT_DIRS.join(' ')}; do
  if [ -d "$d" ]; then inputs=$(find ${CONTROL_PLANE_INPUT_DIRS.join(' ')} -maxdepth 1 -type f -printf '%p\\t%T@\\n' 2>/dev/null); break; fi
done
put_map inputsModified "$inputs"
encflag=
if [ -f /etc/kubernetes/manifests/kube-apiserver.yaml ]; then
  while IFS= read -r line || [ -n "$line" ]; do
    line=\${line#"\${line%%[![:space:]]*}"}
    line=\${line#- }
    case $line in --encryption-provider-config=*) encflag=\${line#--encryption-provider-config=}; encflag=\${encflag//\\\"/} ;; esac
  done < /etc/kubernetes/manifests/kube-apiserver.yaml
fi
put encryptionFlag "$encflag"
# Encryption configurations without key material: every line must be one the probe knows, and
# secret values leave the host as 16-hex fingerprints; a file with any other line is reported
# as unrecognized and nothing of it is printed.
enc_secret=$'^([[:space:]]*(-[[:space:]]+)?)secret:[[:space:]]*["\\']?([A-Za-z0-9+/=]+)["\\']?[[:space:]]*$'
enc_blank='^[[:space:]]*(#.*)?$'
enc_key=$'^[[:space:]]*(-[[:space:]]+)?(apiVersion|kind|resources|providers|aescbc|aesgcm|secretbox|identity|kms|keys|name|endpoint|cachesize|timeout):([[:space:]]+["\\']?[A-Za-z0-9._:/@*{}-]*["\\']?)?[[:space:]]*$'
enc_item=$'^[[:space:]]*-[[:space:]]+["\\']?[A-Za-z0-9.*-]+["\\']?[[:space:]]*$'
encs=
for f in ${ENCRYPTION_DIR}/*.yaml; do
  [ -f "$f" ] || continue
  text= ok=1
  while IFS= read -r line || [ -n "$line" ]; do
    line=\${line%$'\\r'}
    if [[ $line =~ $enc_secret ]]; then
      fp=$(printf '%s' "\${BASH_REMATCH[3]}" | sha256sum)
      text+="\${BASH_REMATCH[1]}secret: \${fp:0:16}"$'\\n'
    elif [[ $line =~ $enc_blank ]]; then
      :
    elif [[ $line =~ $enc_key ]] || [[ $line =~ $enc_item ]]; then
      text+="$line"$'\\n'
    else
      ok=0; break
    fi
  done < "$f"
  [ "$ok" = 1 ] || text='!unrecognized'
  sum=$(sha256sum -- "$f"); sum=\${sum%% *}
  encs+="$f"$'\\t'"$sum"$'\\n'
  js "$f"; k=$J; js "$text"; encfields+=("$k:$J")
done
put_map encryptionSums "$encs"

js encryptionTexts; ej=$J; ebody=
for e in "\${encfields[@]}"; do ebody+="\${ebody:+,}$e"; done
fields+=("$ej:{$ebody}")

certs=
collect certs
while IFS=$'\\t' read -r c d; do
  [ -n "$c" ] && certs+="$c"$'\\t'"\${d#notAfter=}"$'\\n'
done <<< "$V"
put_map certs "$certs"
for k in containerd kubelet kubeadm kubectl healthz etcdMembers etcdHealth fqdn apiserverSans; do
  collect "$k"; put "$k" "$V"
done
local IFS=,
printf '{%s}\\n' "\${fields[*]}"
}
main </dev/null
`;
}

