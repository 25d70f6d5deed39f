import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseAllDocuments } from 'yaml';

import { PROVIDER_EXAMPLES } from '../../pkg/addons/testing/providers.js';
import { runCliCaptured as runKubeone } from '../testing/run-cli.js';

const dir = mkdtempSync(join(tmpdir(), 'kubeone-mds-'));
const manifest = (extra: string): string => {
  const path = join(dir, `m-${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(
    path,
    ['apiVersion: kubeone.k8c.io/v1beta2', 'kind: KubeOneCluster', 'name: hz', 'versions: { kubernetes: 1.35.1 }', 'cloudProvider: { hetzner: { networkID: net } }',
      'controlPlane:', '  hosts:', '  - { publicAddress: 192.0.2.10, sshPrivateKeyFile: /k/id }', extra, ''].join('\n'),
  );
  return path;
};
const env = PROVIDER_EXAMPLES.hetzner.credentials;
const tfjson = join(dir, 'tf.json');
writeFileSync(tfjson, JSON.stringify({ kubeone_workers: { value: { 'hz-pool2': { replicas: 2, providerSpec: { operatingSystem: 'ubuntu', cloudProviderSpec: { serverType: 'cx32', location: 'fsn1' } } } } } }));

describe('kubeone config machinedeployments', () => {
  it('prints the MachineDeployments of dynamicWorkers and of Terraform\'s kubeone_workers (-t), in that order', async () => {
    const m = manifest('dynamicWorkers:\n- name: hz-pool1\n  replicas: 1\n  providerSpec:\n    operatingSystem: ubuntu\n    cloudProviderSpec: { serverType: cx22, location: nbg1 }');
    const r = await runKubeone(['config', 'machinedeployments', '-m', m, '-t', tfjson], { env });
    expect(r.code, r.stderr).to.equal(0);
    const docs = parseAllDocuments(r.stdout).map((d) => d.toJS()).filter(Boolean);
    expect(docs.map((d) => [d.kind, d.metadata.namespace, d.metadata.name, d.spec.replicas])).to.deep.equal([
      ['MachineDeployment', 'kube-system', 'hz-pool1', 1],
      ['MachineDeployment', 'kube-system', 'hz-pool2', 2],
    ]);
    expect(docs[1].spec.template.spec.providerSpec.value).to.deep.equal({ cloudProviderSpec: { serverType: 'cx32', location: 'fsn1' }, operatingSystem: 'ubuntu', cloudProvider: 'hetzner' });
  });

  it('prints nothing without dynamicWorkers; an invalid workerset is a configuration error (exit 15)', async () => {
    const none = await runKubeone(['config', 'machinedeployments', '-m', manifest('')], { env });
    expect([none.code, none.stdout]).to.deep.equal([0, '']);
    const bad = await runKubeone(['config', 'machinedeployments', '-m', manifest('dynamicWorkers:\n- name: p\n  replicas: -1\n  providerSpec: { cloudProviderSpec: {} }')], { env });
    expect(bad.code).to.equal(15);
    expect(bad.stderr).to.match(/dynamicWorkers\[0\]\.replicas/);
  });
});
