// kubeadm configuration files shaped like the ones KubeOne renders (v1beta4
// Init/Join + Cluster + Kubelet + KubeProxy), for driving the simulator in tests.
import type { FleetHost } from '../../fleet/index.js';

export const TEST_TOKEN = 'abcdef.0123456789abcdef';

function clusterDocs(version: string, endpoint: string, sans: string[]): string {
  return `---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: kubesim
kubernetesVersion: v${version.replace(/^v/, '')}
controlPlaneEndpoint: ${endpoint}
certificateValidityPeriod: 8760h0m0s
caCertificateValidityPeriod: 87600h0m0s
apiServer:
  certSANs: [${sans.join(', ')}]
  extraArgs:
  - {name: endpoint-reconciler-type, value: lease}
  - {name: profiling, value: "false"}
  - {name: service-node-port-range, value: 30000-32767}
controllerManager:
  extraArgs:
  - {name: profiling, value: "false"}
  - {name: terminated-pod-gc-threshold, value: "1000"}
  - {name: node-cidr-mask-size-ipv4, value: "24"}
scheduler:
  extraArgs:
  - {name: profiling, value: "false"}
etcd:
  local:
    extraArgs:
    - {name: experimental-compact-hash-check-enabled, value: "true"}
    - {name: experimental-corrupt-check-time, value: 240m}
networking:
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
  dnsDomain: cluster.local
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
clusterDNS: [169.254.20.10]
containerLogMaxSize: 100Mi
containerLogMaxFiles: 5
rotateCertificates: true
serverTLSBootstrap: true
readOnlyPort: 0
protectKernelDefaults: true
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: 10.244.0.0/16
`;
}

function nodeRegistration(h: FleetHost, controlPlane: boolean): string {
  return `nodeRegistration:
  name: ${h.hostname}
  criSocket: unix:///run/containerd/containerd.sock
  kubeletExtraArgs:
  - {name: node-ip, value: ${h.privateAddress}}
  - {name: volume-plugin-dir, value: /var/lib/kubelet/volumeplugins}
  - {name: pod-max-pids, value: "-1"}
${controlPlane ? '  taints:\n  - {key: node-role.kubernetes.io/control-plane, effect: NoSchedule}\n' : '  taints: []\n'}`;
}

export function initConfig(h: FleetHost, version: string, endpoint = `${h.privateAddress}:6443`): string {
  return `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
- token: ${TEST_TOKEN}
  ttl: 1h0m0s
  groups: [system:bootstrappers:kubeadm:default-node-token]
  usages: [signing, authentication]
localAPIEndpoint:
  advertiseAddress: ${h.privateAddress}
${nodeRegistration(h, true)}${clusterDocs(version, endpoint, [h.privateAddress])}`;
}

export function joinConfig(h: FleetHost, endpoint: string, controlPlane: boolean, version: string): string {
  const join = `apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
${controlPlane ? `controlPlane:\n  localAPIEndpoint:\n    advertiseAddress: ${h.privateAddress}\n` : ''}discovery:
  bootstrapToken:
    token: ${TEST_TOKEN}
    apiServerEndpoint: ${endpoint}
    unsafeSkipCAVerification: true
${nodeRegistration(h, controlPlane)}`;
  return controlPlane ? join + clusterDocs(version, endpoint, [h.privateAddress]) : join;
}
