import { expect } from 'chai';
import { applyDefaults } from './defaults.js';
import { baseCluster } from './testing/base-cluster.js';

describe('applyDefaults', () => {
  it('mirrors publicAddress and privateAddress into each other', () => {
    const c = baseCluster();
    c.controlPlane!.hosts = [{ publicAddress: '192.0.2.1' }, { privateAddress: '10.0.0.2' }];
    const d = applyDefaults(c);
    expect(d.controlPlane!.hosts![0]!.privateAddress).to.equal('192.0.2.1');
    expect(d.controlPlane!.hosts![1]!.publicAddress).to.equal('10.0.0.2');
  });
  it('makes the first control-plane host the leader unless one is marked', () => {
    const c = baseCluster();
    c.controlPlane!.hosts = [{ publicAddress: 'a' }, { publicAddress: 'b' }];
    expect(applyDefaults(c).controlPlane!.hosts!.map((h) => h.isLeader)).to.deep.equal([true, undefined]);
    c.controlPlane!.hosts[1]!.isLeader = true;
    expect(applyDefaults(c).controlPlane!.hosts!.map((h) => h.isLeader)).to.deep.equal([undefined, true]);
  });
  it('defaults apiEndpoint.host to the first control-plane publicAddress and port 6443', () => {
    const c = baseCluster();
    c.apiEndpoint = { host: '' };
    expect(applyDefaults(c).apiEndpoint).to.deep.equal({ host: '192.0.2.10', port: 6443 });
    c.apiEndpoint = { host: 'lb.example.com', port: 443 };
    expect(applyDefaults(c).apiEndpoint).to.deep.equal({ host: 'lb.example.com', port: 443 });
  });
  it('trims a leading v from the Kubernetes version', () => {
    const c = baseCluster();
    c.versions = { kubernetes: 'v1.34.2' };
    expect(applyDefaults(c).versions!.kubernetes).to.equal('1.34.2');
  });
  it('sets SSH defaults: port 22, user root, agent socket only without a key, bastion user = ssh user', () => {
    const c = baseCluster();
    c.controlPlane!.hosts = [{ publicAddress: 'a', sshUsername: 'ubuntu' }, { publicAddress: 'b', sshPrivateKeyFile: '/k' }];
    const [a, b] = applyDefaults(c).controlPlane!.hosts!;
    expect(a).to.include({ sshPort: 22, sshUsername: 'ubuntu', sshAgentSocket: 'env:SSH_AUTH_SOCK', bastionPort: 22, bastionUser: 'ubuntu' });
    expect(b).to.include({ sshPort: 22, sshUsername: 'root' });
    expect(b!.sshAgentSocket).to.equal(undefined);
  });
  it('taints control-plane hosts by default, static workers not; an explicit [] stays empty', () => {
    const c = baseCluster();
    const d = applyDefaults(c);
    expect(d.controlPlane!.hosts![0]!.taints).to.deep.equal([{ key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' }]);
    expect(d.staticWorkers!.hosts![0]!.taints).to.deep.equal([]);
    c.controlPlane!.hosts![0]!.taints = [];
    expect(applyDefaults(c).controlPlane!.hosts![0]!.taints).to.deep.equal([]);
  });
  it('defaults subnets, domain, node port range, masks and canal with the provider MTU', () => {
    const d = applyDefaults(baseCluster());
    expect(d.clusterNetwork).to.deep.equal({
      ipFamily: 'IPv4',
      podSubnet: '10.244.0.0/16',
      serviceSubnet: '10.96.0.0/12',
      nodeCIDRMaskSizeIPv4: 24,
      serviceDomainName: 'cluster.local',
      nodePortRange: '30000-32767',
      cni: { canal: { mtu: 1450 } },
    });
    const aws = baseCluster();
    aws.cloudProvider = { aws: {} };
    aws.clusterNetwork = { cni: { canal: {} } };
    expect(applyDefaults(aws).clusterNetwork!.cni).to.deep.equal({ canal: { mtu: 8951 } });
  });
  it('adds IPv6 subnets for dual-stack', () => {
    const c = baseCluster();
    c.clusterNetwork = { ipFamily: 'IPv4+IPv6' };
    expect(applyDefaults(c).clusterNetwork).to.include({ podSubnetIPv6: 'fd01::/48', serviceSubnetIPv6: 'fd02::/120', nodeCIDRMaskSizeIPv6: 64 });
  });
  it('forces external cloud provider except for none and VMware Cloud Director; generates the AWS cloud config', () => {
    const c = baseCluster();
    c.cloudProvider = { aws: {}, external: false };
    const d = applyDefaults(c);
    expect(d.cloudProvider!.external).to.equal(true);
    expect(d.cloudProvider!.cloudConfig).to.equal('[global]\nKubernetesClusterID="test-cluster"\nNodeIPFamilies="ipv4"\n');
    expect(applyDefaults(baseCluster()).cloudProvider!.external).to.equal(undefined);
  });
  it('builds noProxy from the network when a proxy is set', () => {
    const c = baseCluster();
    c.proxy = { http: 'http://proxy:3128', noProxy: '.corp' };
    expect(applyDefaults(c).proxy!.noProxy).to.equal('127.0.0.1/8,localhost,cluster.local,10.244.0.0/16,10.96.0.0/12,.corp');
  });
  it('machine-controller off for provider none, OSM follows it; feature defaults', () => {
    const d = applyDefaults(baseCluster());
    expect(d.machineController).to.deep.equal({ deploy: false });
    expect(d.operatingSystemManager).to.deep.equal({ deploy: false });
    expect(d.features).to.deep.include({ metricsServer: { enable: true }, nodeLocalDNS: { deploy: true } });
    expect(d.features!.coreDNS).to.deep.equal({ replicas: 2, deployPodDisruptionBudget: true });
    expect(d.loggingConfig).to.deep.equal({ containerLogMaxSize: '100Mi', containerLogMaxFiles: 5 });
    expect(d.systemPackages).to.deep.equal({ configureRepositories: true });
  });
  it('drops containerRuntime.docker (removed in KubeOne 1.8) and uses containerd', () => {
    const c = baseCluster();
    c.containerRuntime = { docker: {} };
    expect(applyDefaults(c).containerRuntime).to.deep.equal({ containerd: {} });
  });
  it('defaults helm release name and timeout; mirrors caBundle', () => {
    const c = baseCluster();
    c.helmReleases = [{ chart: 'flannel', namespace: 'kube-system' }];
    c.caBundle = 'PEM';
    const d = applyDefaults(c);
    expect(d.helmReleases![0]).to.include({ releaseName: 'flannel', timeout: '5m' });
    expect(d.certificateAuthority!.bundle).to.equal('PEM');
  });
  it('is idempotent: defaulting a defaulted manifest changes nothing', () => {
    const c = baseCluster();
    c.proxy = { https: 'http://proxy:3128', noProxy: '.corp' };
    c.cloudProvider = { aws: {} };
    c.features = { staticAuditLog: { enable: true, config: { policyFilePath: 'p.yaml' } }, openidConnect: { enable: true, config: { issuerUrl: 'https://i' } } };
    c.helmReleases = [{ chart: 'c', repoURL: 'https://r', namespace: 'n' }];
    const once = applyDefaults(c);
    expect(applyDefaults(once)).to.deep.equal(once);
  });
  it('does not modify its input', () => {
    const c = baseCluster();
    const before = JSON.stringify(c);
    applyDefaults(c);
    expect(JSON.stringify(c)).to.equal(before);
  });
});
