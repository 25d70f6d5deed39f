// KubeOne fidelity of the kubeadm, kubelet and kube-proxy configuration, for a matrix of
// manifests. Every expected value below is written from KubeOne 1.14's templates
// (pkg/templates/kubeadm/v1beta4/kubeadm.go, pkg/templates/kubernetesconfigs/*.go,
// pkg/kubeflags/data.go, pkg/features/*.go) plus the defaults kubeadm adds before it stores and
// writes the KubeletConfiguration (cmd/kubeadm/app/componentconfigs/kubelet.go), never from our
// output. Deliberate differences are marked DIFF and listed in docs/kubeone-compatibility.md.
import { expect } from 'chai';
import { parseAllDocuments } from 'yaml';
import { applyDefaults } from '../api/defaults.js';
import { resolveHosts } from '../api/hosts.js';
import type { HostConfig, KubeOneCluster, LoadedCluster } from '../api/types.js';
import { renderKubeletFlags } from '../scripts/kubelet-files.js';
import { renderInitFile, renderJoinFile, renderKubeletConfigFile } from './render-files.js';

type Doc = Record<string, any>;

/** A manifest through KubeOne's defaulting, as every command loads it. */
function load(overrides: Partial<KubeOneCluster>, hosts?: { cp?: HostConfig[]; workers?: HostConfig[] }): LoadedCluster {
  const cluster = applyDefaults({
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    name: 'demo',
    versions: { kubernetes: '1.35.1' },
    cloudProvider: { none: {} },
    controlPlane: { hosts: hosts?.cp ?? [{ publicAddress: '192.0.2.10', privateAddress: '10.0.0.10', hostname: 'cp-1', sshPrivateKeyFile: '/k' }] },
    staticWorkers: { hosts: hosts?.workers ?? [{ publicAddress: '192.0.2.20', privateAddress: '10.0.0.20', hostname: 'worker-1', sshPrivateKeyFile: '/k' }] },
    ...overrides,
  });
  return { manifestPath: '/m/kubeone.yaml', baseDir: '/m', cluster, hosts: resolveHosts(cluster), credentials: {}, warnings: [] };
}

function docs(text: string): Record<string, Doc> {
  return Object.fromEntries(parseAllDocuments(text).map((d) => d.toJS() as Doc).map((d) => [d.kind, d]));
}

function initDocs(loaded: LoadedCluster, host = 0): Record<string, Doc> {
  return docs(renderInitFile(loaded, loaded.hosts[host]!));
}

function joinDoc(loaded: LoadedCluster, host: number): Doc {
  return docs(renderJoinFile(loaded, loaded.hosts[host]!, { token: 'abcdef.0123456789abcdef', caCertHash: 'sha256:aa' })).JoinConfiguration!;
}

/** extraArgs as a map: KubeOne builds some of them from Go maps, so their order carries no meaning. */
function args(list: { name: string; value: string }[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const a of list ?? []) {
    expect(out, `duplicate ${a.name}`).not.to.have.property(a.name);
    out[a.name] = a.value;
  }
  return out;
}

// kubernetesconfigs.APIServerDefaultTLSCipherSuites / DefaultTLSCipherSuites, Go's tls.CipherSuites() (etcd).
const API_CIPHERS =
  'TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,TLS_RSA_WITH_3DES_EDE_CBC_SHA,TLS_RSA_WITH_AES_128_CBC_SHA,TLS_RSA_WITH_AES_128_GCM_SHA256,TLS_RSA_WITH_AES_256_CBC_SHA,TLS_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA';
const ETCD_CIPHERS =
  'TLS_AES_128_GCM_SHA256,TLS_AES_256_GCM_SHA384,TLS_CHACHA20_POLY1305_SHA256,TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA,TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256,TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256';
const KUBELET_CIPHERS = [
  'TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256',
  'TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384',
  'TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305',
  'TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384',
];

// kubeflags/data.go
const ADMISSION_1_34 =
  'NamespaceLifecycle,LimitRanger,ServiceAccount,TaintNodesByCondition,NodeRestriction,PodSecurity,Priority,DefaultTolerationSeconds,DefaultStorageClass,StorageObjectInUseProtection,PersistentVolumeClaimResize,RuntimeClass,CertificateApproval,CertificateSigning,ClusterTrustBundleAttest,CertificateSubjectRestriction,DefaultIngressClass,PodTopologyLabels,MutatingAdmissionPolicy,MutatingAdmissionWebhook,ValidatingAdmissionPolicy,ValidatingAdmissionWebhook,ResourceQuota';
const ADMISSION_1_35 =
  'CertificateApproval,CertificateSigning,CertificateSubjectRestriction,DefaultIngressClass,DefaultStorageClass,DefaultTolerationSeconds,LimitRanger,MutatingAdmissionWebhook,NamespaceLifecycle,NodeRestriction,PersistentVolumeClaimResize,PodSecurity,Priority,ResourceQuota,RuntimeClass,ServiceAccount,StorageObjectInUseProtection,TaintNodesByCondition,ValidatingAdmissionPolicy,ValidatingAdmissionWebhook';
const ADMISSION_1_36 =
  'CertificateApproval,CertificateSigning,CertificateSubjectRestriction,DefaultIngressClass,DefaultStorageClass,DefaultTolerationSeconds,LimitRanger,MutatingAdmissionWebhook,NamespaceLifecycle,NodeRestriction,PersistentVolumeClaimResize,PodGroupProtection,PodSecurity,Priority,ResourceQuota,RuntimeClass,ServiceAccount,StorageObjectInUseProtection,TaintNodesByCondition,ValidatingAdmissionPolicy,ValidatingAdmissionWebhook';

const API_SERVER_ARGS = {
  'enable-admission-plugins': ADMISSION_1_35,
  'endpoint-reconciler-type': 'lease',
  'kubelet-certificate-authority': '/etc/kubernetes/pki/ca.crt',
  profiling: 'false',
  'request-timeout': '1m',
  'service-node-port-range': '30000-32767',
  'tls-cipher-suites': API_CIPHERS,
};
const CONTROLLER_MANAGER_ARGS = {
  'flex-volume-plugin-dir': '/var/lib/kubelet/volumeplugins',
  profiling: 'false',
  'terminated-pod-gc-threshold': '1000',
  // SetDefaults_ClusterNetwork: nodeCIDRMaskSizeIPv4 24; addControllerManagerNetworkArgs (IPv4).
  'node-cidr-mask-size-ipv4': '24',
};
const ETCD_ARGS = {
  'experimental-compact-hash-check-enabled': 'true',
  'experimental-corrupt-check-time': '240m',
  'cipher-suites': ETCD_CIPHERS,
};
const ETCD_ENV = [
  { name: 'ETCDCTL_CACERT', value: '/etc/kubernetes/pki/etcd/ca.crt' },
  { name: 'ETCDCTL_CERT', value: '/etc/kubernetes/pki/etcd/healthcheck-client.crt' },
  { name: 'ETCDCTL_KEY', value: '/etc/kubernetes/pki/etcd/healthcheck-client.key' },
  { name: 'ETCDCTL_ENDPOINTS', value: 'https://127.0.0.1:2379' },
];
const CP_PREFLIGHT = ['DirAvailable--var-lib-etcd', 'DirAvailable--etc-kubernetes-manifests', 'ImagePull'];
const WORKER_PREFLIGHT = ['DirAvailable--etc-kubernetes-manifests'];
const CRI = 'unix:///run/containerd/containerd.sock';
const CP_TAINT = { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' };

describe('KubeOne fidelity: kubeadm v1beta4, kubelet and kube-proxy configuration', () => {
  describe('single control plane + worker, every default', () => {
    const loaded = load({});
    const d = initDocs(loaded);

    it('InitConfiguration: advertise address, no bindPort (kubeadm default 6443), KubeOne node registration', () => {
      expect(d.InitConfiguration).to.deep.equal({
        apiVersion: 'kubeadm.k8s.io/v1beta4',
        kind: 'InitConfiguration',
        bootstrapTokens: [], // DIFF: KubeOne writes a 60-minute token here; we create tokens at join time.
        localAPIEndpoint: { advertiseAddress: '10.0.0.10' },
        nodeRegistration: {
          name: 'cp-1',
          criSocket: CRI,
          taints: [CP_TAINT],
          kubeletExtraArgs: [
            { name: 'volume-plugin-dir', value: '/var/lib/kubelet/volumeplugins' },
            { name: 'node-ip', value: '10.0.0.10' },
            { name: 'pod-max-pids', value: '-1' },
          ],
          ignorePreflightErrors: CP_PREFLIGHT,
        },
      });
    });

    it('ClusterConfiguration', () => {
      const c = d.ClusterConfiguration!;
      expect(args(c.apiServer.extraArgs)).to.deep.equal(API_SERVER_ARGS);
      expect(args(c.controllerManager.extraArgs)).to.deep.equal(CONTROLLER_MANAGER_ARGS);
      expect(args(c.scheduler.extraArgs)).to.deep.equal({ profiling: 'false' });
      expect(args(c.etcd.local.extraArgs)).to.deep.equal(ETCD_ARGS);
      const rest = { ...c, apiServer: { ...c.apiServer, extraArgs: undefined }, controllerManager: undefined, scheduler: undefined, etcd: { local: { ...c.etcd.local, extraArgs: undefined } } };
      expect(JSON.parse(JSON.stringify(rest))).to.deep.equal({
        apiVersion: 'kubeadm.k8s.io/v1beta4',
        kind: 'ClusterConfiguration',
        clusterName: 'demo',
        kubernetesVersion: 'v1.35.1', // KubeOne passes 1.35.1; kubeadm stores it as v1.35.1.
        controlPlaneEndpoint: '192.0.2.10:6443',
        apiServer: { certSANs: ['192.0.2.10'] },
        etcd: { local: { extraEnvs: ETCD_ENV } },
        networking: { dnsDomain: 'cluster.local', podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/12' },
      });
    });

    it('KubeletConfiguration: KubeOne cluster-wide settings plus kubeadm defaults, NodeLocal DNS address', () => {
      expect(d.KubeletConfiguration).to.deep.equal({
        apiVersion: 'kubelet.config.k8s.io/v1beta1',
        kind: 'KubeletConfiguration',
        authentication: { anonymous: { enabled: false }, webhook: { enabled: true }, x509: { clientCAFile: '/etc/kubernetes/pki/ca.crt' } },
        authorization: { mode: 'Webhook' },
        cgroupDriver: 'systemd',
        clusterDNS: ['169.254.20.10'],
        clusterDomain: 'cluster.local',
        containerLogMaxFiles: 5,
        containerLogMaxSize: '100Mi',
        healthzBindAddress: '127.0.0.1',
        healthzPort: 10248,
        rotateCertificates: true,
        serverTLSBootstrap: true,
        staticPodPath: '/etc/kubernetes/manifests',
        tlsCipherSuites: KUBELET_CIPHERS,
      });
      expect(renderKubeletConfigFile(loaded)).to.equal(renderKubeletConfigFile(load({}, { cp: [{ publicAddress: '192.0.2.99', privateAddress: '10.9.9.9', hostname: 'other', sshPrivateKeyFile: '/k' }] })));
    });

    it('KubeProxyConfiguration', () => {
      expect(d.KubeProxyConfiguration).to.deep.equal({
        apiVersion: 'kubeproxy.config.k8s.io/v1alpha1',
        kind: 'KubeProxyConfiguration',
        clientConnection: { kubeconfig: '/var/lib/kube-proxy/kubeconfig.conf' },
        clusterCIDR: '10.244.0.0/16',
      });
    });

    it('JoinConfiguration of a worker (NewConfigWorker) and of a control plane', () => {
      expect(joinDoc(loaded, 1)).to.deep.equal({
        apiVersion: 'kubeadm.k8s.io/v1beta4',
        kind: 'JoinConfiguration',
        // DIFF: KubeOne sets unsafeSkipCAVerification: true; we pin the CA.
        discovery: { bootstrapToken: { apiServerEndpoint: '192.0.2.10:6443', token: 'abcdef.0123456789abcdef', caCertHashes: ['sha256:aa'] } },
        nodeRegistration: {
          name: 'worker-1',
          criSocket: CRI,
          taints: [],
          kubeletExtraArgs: [
            { name: 'volume-plugin-dir', value: '/var/lib/kubelet/volumeplugins' },
            { name: 'node-ip', value: '10.0.0.20' },
            { name: 'pod-max-pids', value: '-1' },
          ],
          ignorePreflightErrors: WORKER_PREFLIGHT,
        },
      });
      const ha = load({}, { cp: [{ publicAddress: '192.0.2.10', privateAddress: '10.0.0.10', hostname: 'cp-1' }, { publicAddress: '192.0.2.11', privateAddress: '10.0.0.11', hostname: 'cp-2' }] });
      const cp = joinDoc(ha, 1);
      expect(cp.controlPlane).to.deep.equal({ localAPIEndpoint: { advertiseAddress: '10.0.0.11' } });
      expect(cp.nodeRegistration.ignorePreflightErrors).to.deep.equal(CP_PREFLIGHT);
      expect(cp.nodeRegistration.taints).to.deep.equal([CP_TAINT]);
    });

    it('kubeadm-flags.env: what kubeadm writes from that registration, sorted', () => {
      expect(renderKubeletFlags(loaded.cluster, loaded.hosts[1]!)).to.equal(
        // DIFF: --hostname-override always (kubeadm adds it only when the name differs from the machine's hostname).
        `KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=${CRI} --hostname-override=worker-1 --node-ip=10.0.0.20 --pod-max-pids=-1 --volume-plugin-dir=/var/lib/kubelet/volumeplugins"\n`,
      );
    });
  });

  it('HA behind a load balancer on port 8443: the endpoint carries 8443, every apiserver binds 6443, SANs lower-cased', () => {
    const cps = [10, 11, 12].map((n, i) => ({ publicAddress: `192.0.2.${n}`, privateAddress: `10.0.0.${n}`, hostname: `cp-${i + 1}` }));
    const loaded = load({ apiEndpoint: { host: 'API.Example.COM', port: 8443, alternativeNames: ['LB.example.com', '192.0.2.100'] } }, { cp: cps });
    for (const i of [0, 1, 2]) {
      const d = initDocs(loaded, i);
      expect(d.InitConfiguration!.localAPIEndpoint).to.deep.equal({ advertiseAddress: cps[i]!.privateAddress });
      expect(d.ClusterConfiguration!.controlPlaneEndpoint).to.equal('API.Example.COM:8443');
      expect(d.ClusterConfiguration!.apiServer.certSANs).to.deep.equal(['api.example.com', 'lb.example.com', '192.0.2.100']);
    }
    expect(joinDoc(loaded, 2).controlPlane).to.deep.equal({ localAPIEndpoint: { advertiseAddress: '10.0.0.12' } });
    expect(joinDoc(loaded, 3).discovery.bootstrapToken.apiServerEndpoint).to.equal('API.Example.COM:8443');
  });

  describe('dual-stack', () => {
    const hosts = {
      cp: [{ publicAddress: '192.0.2.10', privateAddress: '10.0.0.10', ipv6Addresses: ['fd00::10'], hostname: 'cp-1' }],
      workers: [{ publicAddress: '192.0.2.20', privateAddress: '10.0.0.20', ipv6Addresses: ['fd00::20'], hostname: 'worker-1' }],
    };

    it('IPv4+IPv6: subnets IPv4 first, both node IPs, both node CIDR masks (KubeOne defaults 24 and 64)', () => {
      const loaded = load({ clusterNetwork: { ipFamily: 'IPv4+IPv6' } }, hosts);
      const d = initDocs(loaded);
      expect(d.ClusterConfiguration!.networking).to.deep.equal({ dnsDomain: 'cluster.local', podSubnet: '10.244.0.0/16,fd01::/48', serviceSubnet: '10.96.0.0/12,fd02::/120' });
      expect(args(d.ClusterConfiguration!.controllerManager.extraArgs)).to.include({ 'node-cidr-mask-size-ipv4': '24', 'node-cidr-mask-size-ipv6': '64' });
      expect(d.InitConfiguration!.localAPIEndpoint).to.deep.equal({ advertiseAddress: '10.0.0.10' });
      expect(args(d.InitConfiguration!.nodeRegistration.kubeletExtraArgs)['node-ip']).to.equal('10.0.0.10,fd00::10');
      // DIFF: every pod subnet (KubeOne: the IPv4 one only).
      expect(d.KubeProxyConfiguration!.clusterCIDR).to.equal('10.244.0.0/16,fd01::/48');
    });

    it('IPv6+IPv4: IPv6 first everywhere, IPv6 advertise address, cluster DNS from the IPv6 service subnet', () => {
      const loaded = load({ clusterNetwork: { ipFamily: 'IPv6+IPv4' }, features: { nodeLocalDNS: { deploy: false } } }, hosts);
      const d = initDocs(loaded);
      expect(d.ClusterConfiguration!.networking).to.deep.equal({ dnsDomain: 'cluster.local', podSubnet: 'fd01::/48,10.244.0.0/16', serviceSubnet: 'fd02::/120,10.96.0.0/12' });
      expect(d.InitConfiguration!.localAPIEndpoint).to.deep.equal({ advertiseAddress: 'fd00::10' });
      expect(args(joinDoc(loaded, 1).nodeRegistration.kubeletExtraArgs)['node-ip']).to.equal('fd00::20,10.0.0.20');
      // kubeadm: the 10th address of the first service subnet.
      expect(d.KubeletConfiguration!.clusterDNS).to.deep.equal(['fd02::a']);
    });

    it('with an external cloud provider the CCM sets the addresses: --cloud-provider=external, no --node-ip', () => {
      const loaded = load({ clusterNetwork: { ipFamily: 'IPv4+IPv6' }, cloudProvider: { none: {}, external: true } }, hosts);
      for (const host of [0, 1]) {
        const extra = args(joinDoc(loaded, host).nodeRegistration.kubeletExtraArgs);
        expect(extra).to.include({ 'cloud-provider': 'external' });
        expect(extra).not.to.have.property('node-ip');
      }
    });
  });

  it('nodeLocalDNS off: clusterDNS is the 10th service address (kubeadm default)', () => {
    expect(initDocs(load({ features: { nodeLocalDNS: { deploy: false } } })).KubeletConfiguration!.clusterDNS).to.deep.equal(['10.96.0.10']);
    expect(initDocs(load({ features: { nodeLocalDNS: { deploy: false } }, clusterNetwork: { serviceSubnet: '172.16.255.250/24' } })).KubeletConfiguration!.clusterDNS).to.deep.equal(['172.16.255.10']);
  });

  it('external cloud provider (single stack): kubelet --cloud-provider=external after the volume plugin dir, node IP kept', () => {
    const loaded = load({ cloudProvider: { none: {}, external: true } });
    expect(initDocs(loaded).InitConfiguration!.nodeRegistration.kubeletExtraArgs).to.deep.equal([
      { name: 'volume-plugin-dir', value: '/var/lib/kubelet/volumeplugins' },
      { name: 'cloud-provider', value: 'external' },
      { name: 'node-ip', value: '10.0.0.10' },
      { name: 'pod-max-pids', value: '-1' },
    ]);
    expect(renderKubeletFlags(loaded.cluster, loaded.hosts[1]!)).to.contain('--cloud-provider=external ');
  });

  it('custom node CIDR masks; none with Cilium (it allocates pod CIDRs itself)', () => {
    const masks = { nodeCIDRMaskSizeIPv4: 26, nodeCIDRMaskSizeIPv6: 80 };
    expect(args(initDocs(load({ clusterNetwork: masks })).ClusterConfiguration!.controllerManager.extraArgs)).to.deep.equal({ ...CONTROLLER_MANAGER_ARGS, 'node-cidr-mask-size-ipv4': '26' });
    const dual = load({ clusterNetwork: { ...masks, ipFamily: 'IPv4+IPv6' } }, {
      cp: [{ publicAddress: '192.0.2.10', privateAddress: '10.0.0.10', ipv6Addresses: ['fd00::10'], hostname: 'cp-1' }],
      workers: [],
    });
    expect(args(initDocs(dual).ClusterConfiguration!.controllerManager.extraArgs)).to.include({ 'node-cidr-mask-size-ipv4': '26', 'node-cidr-mask-size-ipv6': '80' });
    const cilium = args(initDocs(load({ clusterNetwork: { ...masks, cni: { cilium: {} } } })).ClusterConfiguration!.controllerManager.extraArgs);
    expect(cilium).not.to.have.property('node-cidr-mask-size-ipv4');
    expect(cilium).not.to.have.property('node-cidr-mask-size-ipv6');
  });

  it('kubelet: kubeletConfig in config.yaml, a host\'s kubelet settings as its flags (newNodeRegistration)', () => {
    const loaded = load(
      {
        kubeletConfig: {
          systemReserved: { cpu: '200m', memory: '200Mi' },
          kubeReserved: { cpu: '100m' },
          evictionHard: { 'memory.available': '100Mi' },
          maxPods: 60,
          imageGCHighThresholdPercent: 80,
          imageGCLowThresholdPercent: 70,
          imageMinimumGCAge: '2m',
          imageMaximumGCAge: '168h',
        },
      },
      {
        workers: [
          {
            publicAddress: '192.0.2.20',
            privateAddress: '10.0.0.20',
            hostname: 'worker-1',
            kubelet: { systemReserved: { memory: '1Gi', cpu: '1' }, evictionHard: { 'nodefs.available': '5%', 'memory.available': '200Mi' }, maxPods: 30, imageGCHighThresholdPercent: 90, imageGCLowThresholdPercent: 60, imageMinimumGCAge: '90s' },
          },
        ],
      },
    );
    expect(initDocs(loaded).KubeletConfiguration).to.deep.include({
      systemReserved: { cpu: '200m', memory: '200Mi' },
      kubeReserved: { cpu: '100m' },
      evictionHard: { 'memory.available': '100Mi' },
      maxPods: 60,
      imageGCHighThresholdPercent: 80,
      imageGCLowThresholdPercent: 70,
      imageMinimumGCAge: '2m0s', // metav1.Duration's text
      imageMaximumGCAge: '168h0m0s', // DIFF: KubeOne drops imageMaximumGCAge.
    });
    expect(joinDoc(loaded, 1).nodeRegistration.kubeletExtraArgs).to.deep.equal([
      { name: 'volume-plugin-dir', value: '/var/lib/kubelet/volumeplugins' },
      { name: 'node-ip', value: '10.0.0.20' },
      { name: 'system-reserved', value: 'cpu=1,memory=1Gi' },
      { name: 'eviction-hard', value: 'memory.available<200Mi,nodefs.available<5%' },
      { name: 'max-pods', value: '30' },
      { name: 'pod-max-pids', value: '-1' },
      { name: 'image-gc-high-threshold', value: '90' },
      { name: 'image-gc-low-threshold', value: '60' },
      { name: 'minimum-image-ttl-duration', value: '1m30s' },
    ]);
    expect(renderKubeletFlags(loaded.cluster, loaded.hosts[1]!)).to.equal(
      `KUBELET_KUBEADM_ARGS="--container-runtime-endpoint=${CRI} --eviction-hard=memory.available<200Mi,nodefs.available<5% --hostname-override=worker-1 --image-gc-high-threshold=90 --image-gc-low-threshold=60 --max-pods=30 --minimum-image-ttl-duration=1m30s --node-ip=10.0.0.20 --pod-max-pids=-1 --system-reserved=cpu=1,memory=1Gi --volume-plugin-dir=/var/lib/kubelet/volumeplugins"\n`,
    );
    expect(renderKubeletFlags(loaded.cluster, loaded.hosts[0]!)).not.to.match(/--max-pods|--system-reserved/);
  });

  it('a worker with taints registers them (kubeadm join: --register-with-taints on workers only)', () => {
    const loaded = load({}, { workers: [{ publicAddress: '192.0.2.20', privateAddress: '10.0.0.20', hostname: 'worker-1', taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoExecute' }] }] });
    expect(joinDoc(loaded, 1).nodeRegistration.taints).to.deep.equal([{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoExecute' }]);
    expect(renderKubeletFlags(loaded.cluster, loaded.hosts[1]!)).to.contain('--register-with-taints=dedicated=db:NoSchedule,gpu:NoExecute ');
    expect(renderKubeletFlags(loaded.cluster, loaded.hosts[0]!)).not.to.contain('--register-with-taints');
  });

  it('features and overrides: AlwaysPullImages appended, OIDC, user flags and feature gates last, etcd options, registries, validity periods', () => {
    const loaded = load({
      versions: { kubernetes: '1.36.0' },
      features: {
        alwaysPullImages: { enable: true },
        openidConnect: { enable: true, config: { issuerUrl: 'https://idp.example', clientId: 'kube', groupsPrefix: '-', requiredClaim: 'aud=kube' } },
        coreDNS: { imageRepository: 'dns.example/coredns' },
      },
      registryConfiguration: { overwriteRegistry: 'registry.example:5000' },
      certificateAuthority: { certificateValidityPeriod: '8760h', caCertificateValidityPeriod: '87600h' },
      controlPlaneComponents: {
        apiServer: { flags: { 'request-timeout': '2m', 'audit-log-maxage': '7' }, featureGates: { Zeta: true, Alpha: false } },
        controllerManager: { flags: { 'terminated-pod-gc-threshold': '500' } },
        scheduler: { featureGates: { Foo: true } },
        etcd: { quotaBackendBytes: 4294967296, autoCompactionRetention: '8h', autoCompactionMode: 'periodic' },
      },
      clusterNetwork: { nodePortRange: '31000-32000', kubeProxy: { skipInstallation: true } },
    });
    const c = initDocs(loaded).ClusterConfiguration!;
    expect(args(c.apiServer.extraArgs)).to.deep.equal({
      ...API_SERVER_ARGS,
      'enable-admission-plugins': `${ADMISSION_1_36},AlwaysPullImages`,
      'service-node-port-range': '31000-32000',
      'request-timeout': '2m',
      'audit-log-maxage': '7',
      'feature-gates': 'Alpha=false,Zeta=true',
      'oidc-issuer-url': 'https://idp.example',
      'oidc-client-id': 'kube',
      // defaultOpenIDConnect: usernameClaim sub, usernamePrefix oidc:, groupsClaim groups, signingAlgs RS256; groupsPrefix "-" leaves the flag out.
      'oidc-username-claim': 'sub',
      'oidc-username-prefix': 'oidc:',
      'oidc-groups-claim': 'groups',
      'oidc-required-claim': 'aud=kube',
      'oidc-signing-algs': 'RS256',
    });
    expect(args(c.controllerManager.extraArgs)['terminated-pod-gc-threshold']).to.equal('500');
    expect(args(c.scheduler.extraArgs)).to.deep.equal({ profiling: 'false', 'feature-gates': 'Foo=true' });
    expect(args(c.etcd.local.extraArgs)).to.deep.equal({ ...ETCD_ARGS, 'quota-backend-bytes': '4294967296', 'auto-compaction-retention': '8h', 'auto-compaction-mode': 'periodic' });
    expect(c.etcd.local.imageRepository).to.equal('registry.example:5000');
    expect(c.imageRepository).to.equal('registry.example:5000');
    expect(c.dns).to.deep.equal({ imageRepository: 'dns.example/coredns' });
    expect(c.proxy).to.deep.equal({ disabled: true });
    expect(c.certificateValidityPeriod).to.equal('8760h0m0s');
    expect(c.caCertificateValidityPeriod).to.equal('87600h0m0s');
    // overwriteRegistry alone also sets the CoreDNS repository.
    expect(initDocs(load({ registryConfiguration: { overwriteRegistry: 'registry.example:5000' } })).ClusterConfiguration!.dns).to.deep.equal({ imageRepository: 'registry.example:5000' });
  });

  describe('security features (pkg/features/*.go, addFeaturesExtraMounts, pkg/certificate/cabundle)', () => {
    const dir = (name: string, path: string, readOnly = true) => ({ name, hostPath: path, mountPath: path, ...(readOnly ? { readOnly } : {}), pathType: 'DirectoryOrCreate' });
    const secured = load({
      features: {
        staticAuditLog: { enable: true, config: { policyFilePath: 'audit.yaml' } },
        eventRateLimit: { enable: true, config: { configFilePath: 'erl.yaml' } },
        podNodeSelector: { enable: true, config: { configFilePath: 'pns.yaml' } },
        alwaysPullImages: { enable: true },
        encryptionProviders: { enable: true },
      },
    });
    const c = initDocs(secured).ClusterConfiguration!;

    it('apiserver flags: audit log (defaultStaticAuditLogConfig), plugins appended in KubeOne\'s order, admission and encryption files', () => {
      expect(args(c.apiServer.extraArgs)).to.deep.equal({
        ...API_SERVER_ARGS,
        'audit-policy-file': '/etc/kubernetes/audit/policy.yaml',
        'audit-log-path': '/var/log/kubernetes/audit.log',
        'audit-log-maxage': '30',
        'audit-log-maxbackup': '3',
        'audit-log-maxsize': '100',
        'enable-admission-plugins': `${ADMISSION_1_35},AlwaysPullImages,EventRateLimit,PodNodeSelector`,
        'admission-control-config-file': '/etc/kubernetes/admission/admission-config.yaml',
        'encryption-provider-config': '/etc/kubernetes/encryption-providers/encryption-providers.yaml',
      });
    });

    it('apiserver extraVolumes: audit-conf, log (read-write, the log\'s directory), admission-conf, encryption-providers-conf', () => {
      expect(c.apiServer.extraVolumes).to.deep.equal([
        dir('audit-conf', '/etc/kubernetes/audit'),
        dir('log', '/var/log/kubernetes', false),
        dir('admission-conf', '/etc/kubernetes/admission'),
        dir('encryption-providers-conf', '/etc/kubernetes/encryption-providers'),
      ]);
      expect(c.controllerManager.extraVolumes).to.equal(undefined);
    });

    it('a custom encryption configuration has its own file; one plugin alone still gets the admission file', () => {
      const custom = initDocs(load({ features: { encryptionProviders: { enable: true, customEncryptionConfiguration: 'x' }, podNodeSelector: { enable: true, config: { configFilePath: 'p' } } } })).ClusterConfiguration!;
      const a = args(custom.apiServer.extraArgs);
      expect(a['encryption-provider-config']).to.equal('/etc/kubernetes/encryption-providers/custom-encryption-providers.yaml');
      expect(a['enable-admission-plugins']).to.equal(`${ADMISSION_1_35},PodNodeSelector`);
      expect(a['admission-control-config-file']).to.equal('/etc/kubernetes/admission/admission-config.yaml');
      expect(custom.apiServer.extraVolumes).to.deep.equal([dir('admission-conf', '/etc/kubernetes/admission'), dir('encryption-providers-conf', '/etc/kubernetes/encryption-providers')]);
      const audit = args(initDocs(load({ features: { staticAuditLog: { enable: true, config: { policyFilePath: 'p', logPath: '/var/log/audit/kube.log', logMaxAge: 7, logMaxBackup: 1, logMaxSize: 10 } } } })).ClusterConfiguration!.apiServer.extraArgs);
      expect([audit['audit-log-path'], audit['audit-log-maxage'], audit['audit-log-maxbackup'], audit['audit-log-maxsize']]).to.deep.equal(['/var/log/audit/kube.log', '7', '1', '10']);
    });

    it('none of it without the features: no extra volumes, KubeOne\'s default flags only', () => {
      const plain = initDocs(load({})).ClusterConfiguration!;
      expect(plain.apiServer.extraVolumes).to.equal(undefined);
      expect(args(plain.apiServer.extraArgs)).to.deep.equal(API_SERVER_ARGS);
    });

    it('CA bundle: the controller manager trusts /etc/kubeone/certs through its ca-certs volume and SSL_CERT_FILE (patchStaticPods; DIFF: rendered by kubeadm)', () => {
      const bundled = initDocs(load({ certificateAuthority: { bundle: '-----BEGIN CERTIFICATE-----\nx\n-----END CERTIFICATE-----\n' } })).ClusterConfiguration!;
      expect(bundled.controllerManager.extraVolumes).to.deep.equal([{ name: 'ca-certs', hostPath: '/etc/kubeone/certs', mountPath: '/etc/ssl/certs', readOnly: true, pathType: 'DirectoryOrCreate' }]);
      expect(bundled.controllerManager.extraEnvs).to.deep.equal([{ name: 'SSL_CERT_FILE', value: '/etc/ssl/certs/ca-certificates.crt' }]);
    });
  });

  it('admission plugins by Kubernetes minor (1.34, 1.35, 1.36)', () => {
    for (const [version, list] of [['1.34.3', ADMISSION_1_34], ['1.35.1', ADMISSION_1_35], ['1.36.0', ADMISSION_1_36]] as const) {
      expect(args(initDocs(load({ versions: { kubernetes: version } })).ClusterConfiguration!.apiServer.extraArgs)['enable-admission-plugins'], version).to.equal(list);
    }
  });

  it('kube-proxy: IPVS with its settings, or iptables when named', () => {
    const ipvs = initDocs(load({ clusterNetwork: { kubeProxy: { ipvs: { strictARP: true, scheduler: 'rr', excludeCIDRs: ['10.1.0.0/16'], tcpTimeout: '900s', tcpFinTimeout: '30s', udpTimeout: '300s' } } } })).KubeProxyConfiguration!;
    expect(ipvs.mode).to.equal('ipvs');
    expect(ipvs.ipvs).to.deep.equal({ strictARP: true, scheduler: 'rr', excludeCIDRs: ['10.1.0.0/16'], tcpTimeout: '15m0s', tcpFinTimeout: '30s', udpTimeout: '5m0s' });
    expect(initDocs(load({ clusterNetwork: { kubeProxy: { iptables: {} } } })).KubeProxyConfiguration!.mode).to.equal('iptables');
  });
});
