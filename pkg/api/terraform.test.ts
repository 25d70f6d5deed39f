import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { applyTerraformOutput } from './terraform.js';
import type { KubeOneCluster } from './types.js';

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`./testdata/tf/${name}`, import.meta.url), 'utf8'));
const empty = (): KubeOneCluster => ({ apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster' });

describe('applyTerraformOutput', () => {
  it('sets api endpoint, name, provider and replaces control-plane hosts', () => {
    const c = empty();
    c.controlPlane = { hosts: [{ publicAddress: 'old' }] };
    const { cluster, issues } = applyTerraformOutput(c, fixture('aws-3cp.json'), 'tf.json');
    expect(issues).to.deep.equal([]);
    expect(cluster.name).to.equal('tf-cluster');
    expect(cluster.cloudProvider).to.deep.equal({ aws: {} });
    expect(cluster.apiEndpoint!.host).to.match(/elb\.amazonaws\.com$/);
    const hosts = cluster.controlPlane!.hosts!;
    expect(hosts.map((h) => h.privateAddress)).to.deep.equal(['172.31.1.10', '172.31.2.10', '172.31.3.10']);
    expect(hosts.map((h) => !!h.isLeader)).to.deep.equal([false, true, false]);
    expect(hosts[0]).to.include({ sshUsername: 'ubuntu', bastion: '15.236.10.20', hostname: 'ip-172-31-1-10.eu-west-3.compute.internal', operatingSystem: 'ubuntu' });
  });
  it('appends static worker groups in sorted order and merges dynamic workers by name', () => {
    const c = empty();
    c.cloudProvider = { aws: {} };
    c.dynamicWorkers = [{ name: 'tf-cluster-eu-west-3a', replicas: 3, providerSpec: { operatingSystem: 'flatcar', cloudProviderSpec: { assignPublicIP: true, instanceType: 't3.large' } } }];
    const { cluster, issues } = applyTerraformOutput(c, fixture('aws-3cp.json'));
    expect(issues).to.deep.equal([]);
    expect(cluster.staticWorkers!.hosts!.map((h) => h.privateAddress)).to.deep.equal(['172.31.1.50', '172.31.2.50']);
    expect(cluster.staticWorkers!.hosts![0]!.labels).to.deep.equal({ pool: 'one' });
    expect(cluster.dynamicWorkers).to.have.length(1);
    // As KubeOne (updateAWSWorkerset): the manifest's workerset keeps its replicas, operating system
    // and the spec keys it sets; Terraform fills the missing spec keys, and a plain boolean
    // (ebsVolumeEncrypted) always, false when Terraform does not say.
    expect(cluster.dynamicWorkers![0]!.replicas).to.equal(3);
    expect(cluster.dynamicWorkers![0]!.providerSpec!.operatingSystem).to.equal('flatcar');
    expect(cluster.dynamicWorkers![0]!.providerSpec!.cloudProviderSpec).to.deep.equal({ assignPublicIP: true, region: 'eu-west-3', instanceType: 't3.large', diskSize: 50, ebsVolumeEncrypted: false });
  });
  it('a workerset only Terraform names is taken whole; an unknown key of the provider spec is an error', () => {
    const c = empty();
    const { cluster } = applyTerraformOutput(c, fixture('aws-3cp.json'));
    expect(cluster.dynamicWorkers![0]).to.include({ name: 'tf-cluster-eu-west-3a', replicas: 1 });
    const bad = { kubeone_workers: { value: { pool: { providerSpec: { cloudProviderSpec: { image: 'x', Flavor: 'm1', bogus: 1 } } } } } };
    const { cluster: merged, issues } = applyTerraformOutput({ ...empty(), cloudProvider: { openstack: {} }, dynamicWorkers: [{ name: 'pool', replicas: 1, providerSpec: { cloudProviderSpec: { image: 'mine' } } }] }, bad);
    expect(issues.map((i) => i.path)).to.deep.equal(['kubeone_workers.value.pool.providerSpec.cloudProviderSpec.bogus']);
    // Go matches keys ignoring case: Flavor fills flavor; trustDevicePath and configDrive are plain booleans.
    expect(merged.dynamicWorkers![0]!.providerSpec!.cloudProviderSpec).to.deep.equal({ image: 'mine', flavor: 'm1', trustDevicePath: false, configDrive: false });
  });
  it('applies untaint, network_id and numeric strings', () => {
    const c = empty();
    c.cloudProvider = { hetzner: {} };
    const { cluster, issues } = applyTerraformOutput(c, fixture('hetzner.json'));
    expect(issues).to.deep.equal([]);
    expect(cluster.cloudProvider!.hetzner!.networkID).to.equal('1234567');
    expect(cluster.controlPlane!.hosts![0]).to.deep.include({ taints: [], sshPort: 22 });
  });
  it('is strict inside known outputs and names the field', () => {
    const { issues } = applyTerraformOutput(empty(), fixture('unknown-field.json'), 'tf.json');
    expect(issues).to.deep.equal([{ path: 'kubeone_hosts.value.control_plane.ssh_usr', message: 'unknown field "ssh_usr"', file: 'tf.json' }]);
  });
  it('reports wrong types and unknown providers', () => {
    const { issues } = applyTerraformOutput(empty(), { kubeone_hosts: { value: { control_plane: { cloud_provider: 'mars', public_address: 'x' } } } });
    expect(issues.map((i) => i.path)).to.deep.equal(['kubeone_hosts.value.control_plane.cloud_provider', 'kubeone_hosts.value.control_plane.public_address']);
  });
  it('rejects an unsupported operating system (Amazon Linux) from Terraform', () => {
    const { issues } = applyTerraformOutput(empty(), { kubeone_hosts: { value: { control_plane: { operating_system: 'amzn', public_address: ['a', 'b'] } } } });
    expect(issues).to.have.length(1);
    expect(issues[0]!.path).to.equal('kubeone_hosts.value.control_plane.operating_system');
  });
  it('sets the proxy from the proxy output', () => {
    const { cluster } = applyTerraformOutput(empty(), { proxy: { value: { http: 'http://p:3128', https: 'http://p:3128', noProxy: '.corp' } } });
    expect(cluster.proxy).to.deep.equal({ http: 'http://p:3128', https: 'http://p:3128', noProxy: '.corp' });
  });
  it('VMware Cloud Director: vapp_name and storage_profile; the vApp is the cluster name without vapp_name (as KubeOne)', () => {
    const vcd = (cp: Record<string, unknown>) => applyTerraformOutput({ ...empty(), cloudProvider: { vmwareCloudDirector: {} } }, { kubeone_hosts: { value: { control_plane: { cluster_name: 'vcd-1', ...cp } } } }).cluster.cloudProvider!.vmwareCloudDirector;
    expect(vcd({ vapp_name: 'apps', storage_profile: 'Fast' })).to.deep.equal({ vApp: 'apps', storageProfile: 'Fast' });
    expect(vcd({})).to.deep.equal({ vApp: 'vcd-1' });
    // network_id is Hetzner's only; vapp_name VCD's only.
    const hz = applyTerraformOutput({ ...empty(), cloudProvider: { hetzner: {} } }, { kubeone_hosts: { value: { control_plane: { vapp_name: 'x', network_id: 'net-1' } } } }).cluster;
    expect(hz.cloudProvider).to.deep.equal({ hetzner: { networkID: 'net-1' } });
  });
  it('takes "packet" as Equinix Metal (KubeOne\'s SetCloudProvider)', () => {
    const { cluster, issues } = applyTerraformOutput(empty(), { kubeone_hosts: { value: { control_plane: { cloud_provider: 'packet' } } } });
    expect(issues).to.deep.equal([]);
    expect(cluster.cloudProvider).to.deep.equal({ equinixmetal: {} });
  });
});
