import { expect } from 'chai';
import { decodeConfig } from './decode.js';
import { defaultInitConfig, defaultJoinConfig } from './defaults.js';

const KUBEONE_LIKE = `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
bootstrapTokens:
- token: abcdef.0123456789abcdef
  ttl: 1h0m0s
  groups: [system:bootstrappers:kubeadm:default-node-token]
  usages: [signing, authentication]
localAPIEndpoint:
  advertiseAddress: 172.20.0.11
nodeRegistration:
  name: cp-1
  criSocket: unix:///run/containerd/containerd.sock
  kubeletExtraArgs:
  - name: node-ip
    value: 172.20.0.11
  taints:
  - key: node-role.kubernetes.io/control-plane
    effect: NoSchedule
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
clusterName: demo
kubernetesVersion: 1.34.3
controlPlaneEndpoint: 172.20.0.11:6443
certificateValidityPeriod: 8760h0m0s
apiServer:
  certSANs: [172.20.0.11]
  extraArgs:
  - name: profiling
    value: "false"
etcd:
  local:
    extraArgs:
    - name: experimental-corrupt-check-time
      value: 240m
networking:
  podSubnet: 10.244.0.0/16
  serviceSubnet: 10.96.0.0/12
  dnsDomain: cluster.local
---
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
cgroupDriver: systemd
serverTLSBootstrap: true
rotateCertificates: true
clusterDNS: [169.254.20.10]
kubeReserved: {cpu: 200m}
authentication:
  x509:
    clientCAFile: /etc/kubernetes/pki/ca.crt
---
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: iptables
clusterCIDR: 10.244.0.0/16
`;

describe('kubeadm config decoding', () => {
  it('reads a KubeOne-style multi-document file and defaults it', () => {
    const docs = decodeConfig(KUBEONE_LIKE, 'cfg.yaml');
    const init = defaultInitConfig(docs);
    expect(init.nodeRegistration.name).to.equal('cp-1');
    expect(init.cluster.kubernetesVersion).to.equal('v1.34.3');
    expect(init.cluster.clusterName).to.equal('demo');
    expect(init.cluster.certificatesDir).to.equal('/etc/kubernetes/pki');
    expect(init.cluster.etcd.local?.dataDir).to.equal('/var/lib/etcd');
    expect(init.localAPIEndpoint).to.deep.equal({ advertiseAddress: '172.20.0.11', bindPort: 6443 });
    expect(init.bootstrapTokens[0]!.ttlMs).to.equal(3_600_000);
    expect(init.kubelet.serverTLSBootstrap).to.equal(true);
  });

  it('rejects unknown fields with kubeadm strict-decoding wording, naming every path', () => {
    const bad = KUBEONE_LIKE.replace('clusterName: demo', 'clusterName: demo\napiServer2: {}').replace('  certSANs: [172.20.0.11]', '  certSANs: [172.20.0.11]\n  timeoutForControlPlane: 4m');
    expect(() => decodeConfig(bad, 'cfg.yaml')).to.throw(
      'error unmarshaling configuration schema.GroupVersionKind{Group:"kubeadm.k8s.io", Version:"v1beta4", Kind:"ClusterConfiguration"}: strict decoding error: unknown field "apiServer2", unknown field "apiServer.timeoutForControlPlane"',
    );
  });

  it('rejects unknown fields inside lists and in component configs', () => {
    expect(() => decodeConfig(KUBEONE_LIKE.replace('    effect: NoSchedule', '    effect: NoSchedule\n    bogus: 1'), 'x')).to.throw(/unknown field "nodeRegistration.taints\[0\].bogus"/);
    expect(() => decodeConfig(KUBEONE_LIKE.replace('mode: iptables', 'mode: iptables\nudpIdleTimeout: 1s'), 'x')).to.throw(/KubeProxyConfiguration"}: strict decoding error: unknown field "udpIdleTimeout"/);
  });

  it('rejects mistyped values and duplicate keys', () => {
    expect(() => decodeConfig(KUBEONE_LIKE.replace('advertiseAddress: 172.20.0.11', 'advertiseAddress: 172.20.0.11\n  bindPort: "6443"'), 'x')).to.throw(
      /cannot unmarshal string into Go struct field InitConfiguration.localAPIEndpoint.bindPort of type int32/,
    );
    expect(() => decodeConfig(KUBEONE_LIKE.replace('clusterName: demo', 'clusterName: demo\nclusterName: again'), 'x')).to.throw(/already set|unique|Map keys must be unique/i);
  });

  it('refuses old kubeadm API versions and unknown kubeadm kinds, ignores foreign kinds with a warning', () => {
    expect(() => decodeConfig('apiVersion: kubeadm.k8s.io/v1beta2\nkind: ClusterConfiguration\n', 'x')).to.throw(/old API spec: "kubeadm.k8s.io\/v1beta2"/);
    expect(() => decodeConfig('apiVersion: kubeadm.k8s.io/v1beta4\nkind: Foo\n', 'x')).to.throw(/no kind "Foo"/);
    expect(() => decodeConfig('kind: ClusterConfiguration\n', 'x')).to.throw(/kind and apiVersion is mandatory/);
    const docs = decodeConfig('apiVersion: v1\nkind: ConfigMap\n', 'x');
    expect(docs.warnings[0]).to.match(/Ignored configuration document/);
  });

  it('defaults a worker JoinConfiguration and insists on CA pinning or its explicit skip', () => {
    const doc = decodeConfig(`apiVersion: kubeadm.k8s.io/v1beta4
kind: JoinConfiguration
discovery:
  bootstrapToken:
    token: abcdef.0123456789abcdef
    apiServerEndpoint: 10.0.0.1:6443
    unsafeSkipCAVerification: true
nodeRegistration:
  name: worker-1
`, 'x').JoinConfiguration;
    const join = defaultJoinConfig(doc);
    expect(join.controlPlane).to.equal(undefined);
    expect(join.nodeRegistration.taints).to.deep.equal([]);
    expect(join.discovery.tlsBootstrapToken).to.equal('abcdef.0123456789abcdef');
    expect(() => defaultJoinConfig({ ...doc, discovery: { bootstrapToken: { token: 'abcdef.0123456789abcdef', apiServerEndpoint: 'x:6443' } } })).to.throw(/caCertHashes/);
    expect(() => defaultJoinConfig({ ...doc, discovery: { bootstrapToken: { token: 'bad', apiServerEndpoint: 'x:6443', unsafeSkipCAVerification: true } } })).to.throw(/was not of the form/);
  });
});

describe('kubeadm-config storage', () => {
  it('keeps extraEnvs and extraArgs of every component through a store and read back (upgrades re-render from it)', async () => {
    const { clusterConfigurationDoc, parseStoredClusterConfiguration } = await import('./serialize.js');
    const { stringify } = await import('yaml');
    const env = [{ name: 'ETCDCTL_ENDPOINTS', value: 'https://127.0.0.1:2379' }];
    const doc = {
      apiVersion: 'kubeadm.k8s.io/v1beta4',
      kind: 'ClusterConfiguration',
      kubernetesVersion: 'v1.35.1',
      etcd: { local: { extraArgs: [{ name: 'experimental-corrupt-check-time', value: '240m' }], extraEnvs: env } },
      controllerManager: { extraEnvs: [{ name: 'A', value: '1' }] },
    };
    const cfg = parseStoredClusterConfiguration(stringify(decodeConfig(stringify(doc), 'test').ClusterConfiguration));
    const again = parseStoredClusterConfiguration(stringify(clusterConfigurationDoc(cfg)));
    expect(again.etcd.local!.extraEnvs).to.deep.equal(env);
    expect(again.etcd.local!.extraArgs).to.deep.equal([{ name: 'experimental-corrupt-check-time', value: '240m' }]);
    expect(again.controllerManager.extraEnvs).to.deep.equal([{ name: 'A', value: '1' }]);
  });
});
