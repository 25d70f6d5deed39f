// Expected values are KubeOne 1.14's rendering (pkg/templates/machinecontroller/machines.go:
// createMachineDeployment, getKubeletConfigurationAnnotations, machineSpec) and the names of
// machine-controller's kubelet-config annotations, written out by hand from those facts.
import { expect } from 'chai';
import { parse, parseAllDocuments } from 'yaml';
import type { KubeOneCluster } from '../api/types.js';
import { baseCluster } from '../api/testing/base-cluster.js';
import { awsSpecProblems, comparableView, machineDeploymentsYaml, renderMachineDeployment, renderMachineDeployments } from './machine-deployments.js';

function cluster(provider: KubeOneCluster['cloudProvider'], workers: KubeOneCluster['dynamicWorkers']): KubeOneCluster {
  return { ...baseCluster(), name: 'demo', cloudProvider: provider, dynamicWorkers: workers };
}

describe('MachineDeployments from dynamicWorkers (KubeOne 1.14)', () => {
  it('renders name, namespace, selector, labels, annotations, strategy, kubelet and providerSpec', () => {
    const c = cluster({ openstack: {} }, [
      {
        name: 'demo-pool1',
        replicas: 3,
        providerSpec: {
          cloudProviderSpec: { image: 'Ubuntu 24.04', flavor: 'm1.small', securityGroups: ['sg'] },
          annotations: { 'k8c.io/operating-system-profile': 'osp-ubuntu', 'cluster.k8s.io/cluster-api-autoscaler-node-group-max-size': '5' },
          nodeAnnotations: { 'example.com/node': 'n' },
          machineObjectAnnotations: { 'example.com/machine': 'm' },
          labels: { team: 'a', workerset: 'overridden' },
          taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
          sshPublicKeys: ['ssh-ed25519 AAAA user'],
          operatingSystem: 'ubuntu',
          operatingSystemSpec: { distUpgradeOnBoot: false },
        },
      },
    ]);
    const md = renderMachineDeployment(c, c.dynamicWorkers![0]!);
    expect(md).to.deep.equal({
      apiVersion: 'cluster.k8s.io/v1alpha1',
      kind: 'MachineDeployment',
      metadata: {
        name: 'demo-pool1',
        namespace: 'kube-system',
        annotations: { 'k8c.io/operating-system-profile': 'osp-ubuntu', 'cluster.k8s.io/cluster-api-autoscaler-node-group-max-size': '5' },
      },
      spec: {
        replicas: 3,
        selector: { matchLabels: { workerset: 'demo-pool1' } },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } },
        minReadySeconds: 0,
        template: {
          metadata: { labels: { team: 'a', workerset: 'demo-pool1' }, namespace: 'kube-system', annotations: { 'example.com/machine': 'm' } },
          spec: {
            metadata: { annotations: { 'example.com/node': 'n' }, labels: { team: 'a', workerset: 'demo-pool1' } },
            versions: { kubelet: '1.35.1' },
            providerSpec: {
              value: {
                cloudProviderSpec: { image: 'Ubuntu 24.04', flavor: 'm1.small', securityGroups: ['sg'] },
                sshPublicKeys: ['ssh-ed25519 AAAA user'],
                operatingSystem: 'ubuntu',
                operatingSystemSpec: { distUpgradeOnBoot: false },
                cloudProvider: 'openstack',
              },
            },
            taints: [{ key: 'dedicated', value: 'gpu', effect: 'NoSchedule' }],
          },
        },
      },
    });
  });

  it('a static network: maxSurge 0 and maxUnavailable 1, network with all its fields', () => {
    const c = cluster({ vsphere: {} }, [{ name: 'p', replicas: 1, providerSpec: { cloudProviderSpec: {}, network: { cidr: '10.0.0.5/24', gateway: '10.0.0.1' } } }]);
    const md = renderMachineDeployment(c, c.dynamicWorkers![0]!);
    expect(md.spec.strategy).to.deep.equal({ type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 1 } });
    expect((md.spec.template.spec as any).providerSpec.value.network).to.deep.equal({ cidr: '10.0.0.5/24', gateway: '10.0.0.1', dns: { servers: null }, ipFamily: '' });
    expect((md.spec.template.spec as any).providerSpec.value.operatingSystem).to.equal('');
  });

  it('loggingConfig away from the defaults (100Mi, 5) becomes machine-controller kubelet annotations on the MachineDeployment and its Machines', () => {
    const c = { ...cluster({ hetzner: {} }, [{ name: 'p', replicas: 1, providerSpec: { cloudProviderSpec: { serverType: 'cx22' }, annotations: { a: 'b' } } }]), loggingConfig: { containerLogMaxSize: '50Mi', containerLogMaxFiles: 3 } };
    const md = renderMachineDeployment(c, c.dynamicWorkers![0]!);
    const expected = { 'v1.kubelet-config.machine-controller.kubermatic.io/ContainerLogMaxSize': '50Mi', 'v1.kubelet-config.machine-controller.kubermatic.io/ContainerLogMaxFiles': '3' };
    expect(md.metadata.annotations).to.deep.equal({ a: 'b', ...expected });
    expect((md.spec.template as any).metadata.annotations).to.deep.equal(expected);
    const defaults = { ...c, loggingConfig: { containerLogMaxSize: '100Mi', containerLogMaxFiles: 5 } };
    expect(renderMachineDeployment(defaults, c.dynamicWorkers![0]!).metadata.annotations).to.deep.equal({ a: 'b' });
  });

  it('AWS: the spec goes through machine-controller\'s AWS fields, zero values filled in, the cluster tag added', () => {
    const c = cluster({ aws: {} }, [{ name: 'p', replicas: 2, providerSpec: { cloudProviderSpec: { region: 'eu-west-3', instanceType: 't3.medium', subnetID: 'subnet-1', tags: { owner: 'me' } } } }]);
    const spec = (renderMachineDeployment(c, c.dynamicWorkers![0]!).spec.template.spec as any).providerSpec.value.cloudProviderSpec;
    expect(spec).to.deep.equal({
      ami: '',
      assignPublicIP: null,
      availabilityZone: '',
      diskSize: null,
      diskType: '',
      ebsVolumeEncrypted: false,
      instanceProfile: '',
      instanceType: 't3.medium',
      region: 'eu-west-3',
      securityGroupIDs: null,
      // Go decodes JSON keys ignoring case: subnetID fills subnetId.
      subnetId: 'subnet-1',
      tags: { owner: 'me', 'kubernetes.io/cluster/demo': 'shared' },
      vpcId: '',
    });
    expect(awsSpecProblems({ region: 'x', spotInstanceConfig: { maxPrice: '1', bogus: 1 }, unknownKey: 1 })).to.deep.equal(['spotInstanceConfig.bogus', 'unknownKey']);
  });

  it('vmwareCloudDirector is vmware-cloud-director for machine-controller', () => {
    const c = cluster({ vmwareCloudDirector: {} }, [{ name: 'p', replicas: 0, providerSpec: { cloudProviderSpec: { vapp: 'x' } } }]);
    expect((renderMachineDeployments(c)[0]!.spec.template.spec as any).providerSpec.value.cloudProvider).to.equal('vmware-cloud-director');
  });

  it('prints each MachineDeployment as YAML with sorted keys, followed by ---', () => {
    const c = cluster({ openstack: {} }, [
      { name: 'a', replicas: 1, providerSpec: { cloudProviderSpec: { image: 'i' } } },
      { name: 'b', replicas: 2, providerSpec: { cloudProviderSpec: { image: 'i' } } },
    ]);
    const text = machineDeploymentsYaml(c);
    expect(text.startsWith('apiVersion: cluster.k8s.io/v1alpha1\nkind: MachineDeployment\nmetadata:\n  name: a\n')).to.equal(true);
    const docs = parseAllDocuments(text).map((d) => d.toJS()).filter(Boolean);
    expect(docs.map((d) => d.metadata.name)).to.deep.equal(['a', 'b']);
    expect(Object.keys(parse(text.split('\n---\n')[0]!).spec)).to.deep.equal(['minReadySeconds', 'replicas', 'selector', 'strategy', 'template']);
    expect(machineDeploymentsYaml(cluster({ openstack: {} }, []))).to.equal('');
  });

  it('the view kept in snapshots and plans masks values under secret keys', () => {
    const c = cluster({ openstack: {} }, [{ name: 'p', replicas: 1, providerSpec: { cloudProviderSpec: { image: 'i', password: 'hunter2-secret', applicationCredentialSecret: 'app-cred-secret' }, annotations: { token: 'tok-secret' } } }]);
    const view = JSON.stringify(comparableView(renderMachineDeployment(c, c.dynamicWorkers![0]!)));
    for (const secret of ['hunter2-secret', 'app-cred-secret', 'tok-secret']) expect(view).to.not.contain(secret);
    expect(view).to.contain('"image":"i"');
  });
});
