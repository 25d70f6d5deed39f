// The kubelet systemd unit and the standard kubeadm drop-in, for binaries installed outside
// a package manager (bundles, Flatcar). Package installs bring their own.
export const KUBELET_UNIT_PATH = '/etc/systemd/system/kubelet.service';
export const KUBEADM_DROPIN_PATH = '/etc/systemd/system/kubelet.service.d/10-kubeadm.conf';

export function renderKubeletUnit(binDir: string): string {
  return `[Unit]
Description=kubelet: The Kubernetes Node Agent
Documentation=https://kubernetes.io/docs/
Wants=network-online.target
After=network-online.target

[Service]
ExecStart=${binDir}/kubelet
Restart=always
StartLimitInterval=0
RestartSec=10

[Install]
WantedBy=multi-user.target
`;
}

export function renderKubeadmDropIn(binDir: string): string {
  return `[Service]
Environment="KUBELET_KUBECONFIG_ARGS=--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf --kubeconfig=/etc/kubernetes/kubelet.conf"
Environment="KUBELET_CONFIG_ARGS=--config=/var/lib/kubelet/config.yaml"
EnvironmentFile=-/var/lib/kubelet/kubeadm-flags.env
EnvironmentFile=-/etc/default/kubelet
ExecStart=
ExecStart=${binDir}/kubelet $KUBELET_KUBECONFIG_ARGS $KUBELET_CONFIG_ARGS $KUBELET_KUBEADM_ARGS $KUBELET_EXTRA_ARGS
`;
}
