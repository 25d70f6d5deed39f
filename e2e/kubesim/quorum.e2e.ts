// etcd quorum through the simulator: three stacked control planes; losing one
// keeps the API serving, losing two makes it unavailable, bringing them back
// restores it with every object intact.
import { expect } from 'chai';
import { startFleet, type Fleet } from '../fleet/index.js';
import { buildKubesim } from './build.js';
import { etcdMembers, eventually, kubeadmInit, kubeadmJoin, kubectlJson, readyNodes, writeFile } from './testing/cluster.js';
import { prepareHost, sh, shResult } from './testing/install.js';

const KUBECTL = 'KUBECONFIG=/etc/kubernetes/admin.conf timeout 30 kubectl';

describe('kubesim: etcd quorum with three control planes', function () {
  this.timeout(15 * 60_000);
  let fleet: Fleet;

  before(async () => {
    await buildKubesim({ log: () => {} });
    fleet = await startFleet({ controlPlanes: 3, workers: 0, image: process.env.KUBEONE_HOST_IMAGE });
    await Promise.all(fleet.hosts.map((h) => prepareHost(fleet, h, '1.35.1')));
    const endpoint = `${fleet.host('cp-1').privateAddress}:6443`;
    await kubeadmInit(fleet, fleet.host('cp-1'), '1.35.1');
    await kubeadmJoin(fleet, fleet.host('cp-2'), endpoint, true, '1.35.1', 'cp-1');
    await kubeadmJoin(fleet, fleet.host('cp-3'), endpoint, true, '1.35.1', 'cp-1');
    await eventually('3 Ready control planes', 90_000, async () => (readyNodes(await kubectlJson(fleet, 'cp-1', 'get nodes')).length === 3 ? true : undefined));
  });
  after(async () => {
    await fleet?.destroy();
  });

  it('has three etcd members and stores objects', async () => {
    expect(await etcdMembers(fleet, 'cp-1')).to.have.length(3);
    const manifest = Array.from({ length: 20 }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: keep-${i}\n  namespace: default\ndata:\n  i: "${i}"\n`).join('---\n');
    await writeFile(fleet, 'cp-1', '/root/keep.yaml', manifest);
    await sh(fleet, 'cp-1', `${KUBECTL} apply -f /root/keep.yaml`);
    const cms = await kubectlJson(fleet, 'cp-1', 'get configmaps -n default -l !nothing');
    expect(cms.items.filter((c: any) => c.metadata.name.startsWith('keep-'))).to.have.length(20);
  });

  it('keeps serving with one control plane down', async () => {
    await fleet.stop('cp-3');
    await sh(fleet, 'cp-1', `${KUBECTL} apply -f - <<'Y'\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: written-with-one-down\n  namespace: default\nY`);
    const got = await kubectlJson(fleet, 'cp-1', 'get configmap written-with-one-down -n default');
    expect(got.metadata.name).to.equal('written-with-one-down');
  });

  it('stops serving when two of three are down', async () => {
    await fleet.stop('cp-2');
    await eventually('the API to become unavailable', 60_000, async () => {
      const r = await shResult(fleet, 'cp-1', `${KUBECTL} get configmaps -n default`);
      return r.exitCode !== 0 ? true : undefined;
    });
    const readyz = await shResult(fleet, 'cp-1', `curl -sk --max-time 10 https://${fleet.host('cp-1').privateAddress}:6443/readyz`);
    expect(readyz.stdout).to.not.equal('ok');
  });

  it('comes back with no object lost when the hosts return', async () => {
    await fleet.start('cp-2');
    await fleet.start('cp-3');
    const cms = await eventually('the API to serve again', 180_000, async () => {
      const r = await shResult(fleet, 'cp-1', `${KUBECTL} get configmaps -n default -o json`);
      return r.exitCode === 0 ? JSON.parse(r.stdout) : undefined;
    });
    const names = cms.items.map((c: any) => c.metadata.name);
    for (let i = 0; i < 20; i++) expect(names).to.include(`keep-${i}`);
    expect(names).to.include('written-with-one-down');
    await eventually('3 Ready nodes again', 120_000, async () => (readyNodes(await kubectlJson(fleet, 'cp-1', 'get nodes')).length === 3 ? true : undefined));
    expect(await etcdMembers(fleet, 'cp-1')).to.have.length(3);
  });
});
