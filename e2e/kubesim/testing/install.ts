// Installing the simulator on sandbox hosts by hand, the way the README tells
// a person to: tarball -> /usr/local/bin, kubelet unit + kubeadm drop-in,
// containerd from the apt cache, kubelet enabled.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { Fleet, FleetHost } from '../../fleet/index.js';
import { tarballPath } from '../build.js';

const run = promisify(execFile);

export const KUBELET_UNIT = `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=/usr/local/bin/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;

export const KUBEADM_DROP_IN = `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=/usr/local/bin/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;

/** Root shell on the host; throws with the output on failure. */
export async function sh(fleet: Fleet, host: string, script: string): Promise<string> {
  const r = await fleet.exec(host, ['bash', '-c', script]);
  if (r.exitCode !== 0) throw new Error(`${host}: \`${script.slice(0, 200)}\` failed (exit ${r.exitCode}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Like sh but returns the result instead of throwing. */
export async function shResult(fleet: Fleet, host: string, script: string): Promise<{ exitCode: number; stdout: string; stderr: string }> {
  return fleet.exec(host, ['bash', '-c', script]);
}

export async function installBinaries(fleet: Fleet, host: FleetHost | string, version: string): Promise<void> {
  const h = typeof host === 'string' ? fleet.host(host) : host;
  await run('docker', ['cp', tarballPath(version), `${h.containerName}:/tmp/kubernetes-node.tar.gz`]);
  await sh(fleet, h.name, 'tar -xzf /tmp/kubernetes-node.tar.gz -C /tmp && install -m 0755 /tmp/kubernetes/node/bin/kubeadm /tmp/kubernetes/node/bin/kubelet /tmp/kubernetes/node/bin/kubectl /usr/local/bin/ && rm -rf /tmp/kubernetes /tmp/kubernetes-node.tar.gz');
}

export async function prepareHost(fleet: Fleet, host: FleetHost | string, version: string): Promise<void> {
  const h = typeof host === 'string' ? fleet.host(host) : host;
  await installBinaries(fleet, h, version);
  const unit = Buffer.from(KUBELET_UNIT).toString('base64');
  const dropIn = Buffer.from(KUBEADM_DROP_IN).toString('base64');
  await sh(
    fleet,
    h.name,
    [
      `echo ${unit} | base64 -d > /etc/systemd/system/kubelet.service`,
      'mkdir -p /etc/systemd/system/kubelet.service.d',
      `echo ${dropIn} | base64 -d > /etc/systemd/system/kubelet.service.d/10-kubeadm.conf`,
      'DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-download containerd >/dev/null 2>&1 || DEBIAN_FRONTEND=noninteractive apt-get install -y -q containerd >/dev/null',
      'systemctl daemon-reload',
      'systemctl enable --now containerd >/dev/null 2>&1',
      'systemctl enable --now kubelet >/dev/null 2>&1',
    ].join(' && '),
  );
}
