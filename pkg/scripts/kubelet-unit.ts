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

/** The kubelet's health endpoint (KubeletConfiguration healthzBindAddress/healthzPort defaults). */
const KUBELET_HEALTHZ = 'http://127.0.0.1:10248/healthz';
/** The local kube-apiserver (KubeOne leaves localAPIEndpoint.bindPort at kubeadm's 6443). */
const LOCAL_APISERVER_LIVEZ = 'https://127.0.0.1:6443/livez';

/**
 * Restart the kubelet and go on once it is healthy again and, on a control plane, once the
 * local kube-apiserver serves: the next step (or the user, once apply returns) may talk to
 * the API through this node. A real kubelet leaves running static pods alone, so the second
 * wait normally passes at once. The one restart rule of every script that restarts kubelet.
 */
export function kubeletRestartLines(): string[] {
  // The kubelet must answer 200; any HTTP answer shows the apiserver serves (it may refuse anonymous requests).
  const waitFor = (url: string, what: string, seconds: number, failOnHttpError: boolean): string[] => {
    const probe = `curl --noproxy '*' -ks${failOnHttpError ? 'f' : ''} -o /dev/null --max-time 2 ${url}`;
    return [
      `for _ in $(seq ${seconds}); do ${probe} && break; sleep 1; done`,
      `${probe} || { echo "${what} not healthy ${seconds}s after the kubelet restart (${url})" >&2; exit 1; }`,
    ];
  };
  return [
    'sudo systemctl daemon-reload',
    'sudo systemctl restart kubelet',
    // A kubelet that has not joined yet (no kubelet.conf) restarts in a loop until kubeadm runs: nothing to wait for.
    'if sudo test -f /etc/kubernetes/kubelet.conf; then',
    ...waitFor(KUBELET_HEALTHZ, 'kubelet', 120, true).map((l) => `  ${l}`),
    'fi',
    'if sudo test -f /etc/kubernetes/manifests/kube-apiserver.yaml; then',
    ...waitFor(LOCAL_APISERVER_LIVEZ, 'kube-apiserver', 180, false).map((l) => `  ${l}`),
    'fi',
  ];
}
