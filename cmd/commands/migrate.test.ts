import { expect } from 'chai';

import { SnapshotBuilder } from '../../pkg/plan/testing/snapshot-builder.js';
import { runCliCaptured as runKubeone } from '../testing/run-cli.js';
import { containerdMigrationVerdict } from './migrate.js';

describe('kubeone migrate', () => {
  it('to-ccm-csi is a no-op that accepts KubeOne 1.14 flags (-y, --complete) and reads no manifest', async () => {
    const r = await runKubeone(['migrate', 'to-ccm-csi', '-y', '--complete', '-m', '/nonexistent/kubeone.yaml']);
    expect(r.code).to.equal(0);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.contain('nothing to do');
  });

  it('needs a migration name; to-containerd (hidden, as in KubeOne) still runs and reads the manifest first', async () => {
    const bare = await runKubeone(['migrate']);
    expect(bare.code).to.not.equal(0);
    expect(bare.stderr).to.contain('name a migration: to-ccm-csi');
    const hidden = await runKubeone(['migrate', 'to-containerd', '-m', '/nonexistent/kubeone.yaml']);
    expect(hidden.code).to.equal(1);
    expect(hidden.stderr).to.contain('/nonexistent/kubeone.yaml');
  });

  it('to-containerd: a cluster whose Nodes all run containerd has nothing to migrate; others are named; none is not provisioned', () => {
    const converged = new SnapshotBuilder().convergedHost('cp-1', 'controlPlane', { version: '1.35.1' }).convergedHost('w-1', 'staticWorker', { version: '1.35.1' });
    expect(containerdMigrationVerdict(converged.build())).to.deep.equal({ others: [] });
    const docker = converged.editKube((k) => (k.nodes[1]!.containerRuntimeVersion = 'docker://20.10.24')).build();
    expect(containerdMigrationVerdict(docker)).to.deep.equal({ others: [{ node: 'w-1', runtime: 'docker://20.10.24' }] });
    expect(containerdMigrationVerdict(new SnapshotBuilder().host('cp-1', 'controlPlane').build())).to.deep.equal({ notProvisioned: true });
  });
});
