#!/usr/bin/env bash
# The first-run demo (`npm run demo`): on a fresh machine it installs what it needs,
# starts a 3 control-plane + 2 worker sandbox fleet of real Debian hosts (containers
# with systemd and sshd), shows the plan, converges a cluster on it with `kubeone apply`,
# and prints how to reach and tear it down.
set -euo pipefail
cd "$(dirname "$0")/.."

dir="${KUBEONE_DEMO_DIR:-.sandbox/demo}"
say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

say "Installing dependencies and building the CLI"
if [ ! -x node_modules/.bin/tsc ]; then npm ci --no-audit --no-fund; fi
[ -f dist/cmd/kubeone.js ] || npm run build

say "Preparing the sandbox machine: Docker engine, host image, Kubernetes simulator bundles"
bash hack/e2e-setup.sh

cat <<'NOTE'

  Honest note: no Kubernetes binaries or images can be downloaded on this machine, so
  the kubeadm, kubelet and kube-apiserver inside this sandbox are the project's
  SIMULATOR (e2e/kubesim), installed as an air-gapped node-binaries bundle. Everything
  else is real: SSH, sudo, systemd units, containerd from Debian, etcd, the kubeone CLI.
NOTE

say "Starting the sandbox fleet (3 control planes + 2 workers) in $dir"
npm run --silent sandbox -- up --control-planes 3 --workers 2 --dir "$dir"

manifest="$dir/kubeone.yaml"
say "kubeone plan -m $manifest"
node dist/cmd/kubeone.js plan -m "$manifest"

say "kubeone apply -m $manifest -y"
node dist/cmd/kubeone.js apply -m "$manifest" -y

say "kubeone status -m $manifest"
node dist/cmd/kubeone.js status -m "$manifest"

say "kubeone plan again: nothing left to do"
node dist/cmd/kubeone.js plan -m "$manifest" --detailed-exitcode && echo "(exit 0: converged)"

leader_port=$(node -e 'const f=require(process.argv[1]);const h=f.hosts.find(h=>h.role==="control-plane");console.log(h.sshPort??"")' "$PWD/$dir/fleet.json" 2>/dev/null || true)
cat <<EOF

The cluster is up. Next steps:
  npx kubeone kubeconfig -m $manifest > $dir/admin.conf      # the admin kubeconfig
  npx kubeone status -m $manifest                            # nodes, versions, health
  ssh -i $dir/id_ed25519 -p ${leader_port:-PORT} kubeone@127.0.0.1 sudo kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes
  npm run sandbox -- down --dir $dir                          # tear everything down
EOF
