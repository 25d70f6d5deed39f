// The simulator from the outside, on sandbox hosts installed by hand: init,
// control-plane and worker join, version-skew rules of upgrade, upgrade,
// reset and init again.
import { expect } from 'chai';
import { startFleet, type Fleet } from '../fleet/index.js';
import { buildKubesim } from './build.js';
import { etcdMembers, eventually, kubeadmInit, kubeadmJoin, kubectlJson, readyNodes } from './testing/cluster.js';
import { installBinaries, prepareHost, sh, shResult } from './testing/install.js';

describe('kubesim: kubeadm cluster lifecycle on sandbox hosts', function () {
  this.timeout(15 * 60_000);
  let fleet: Fleet;
  let endpoint: string;

  before(async () => {
    await buildKubesim({ log: () => {} });
    fleet = await startFleet({ controlPlanes: 2, workers: 1, image: process.env.KUBEONE_HOST_IMAGE });
    await Promise.all(fleet.hosts.map((h) => prepareHost(fleet, h, '1.34.3')));
    endpoint = `${fleet.host('cp-1').privateAddress}:6443`;
  });
  after(async () => {
    await fleet?.destroy();
  });

  it('keeps the kubelet restarting until kubeadm configures it', async () => {
    const r = await shResult(fleet, 'worker-1', 'sleep 1; systemctl show kubelet -p ActiveState,SubState,NRestarts; journalctl -u kubelet --no-pager | tail -3');
    expect(r.stdout).to.match(/ActiveState=(activating|failed)/);
    expect(r.stdout).to.match(/\/var\/lib\/kubelet\/config.yaml/);
  });

  it('initializes the first control plane and serves the API with kubectl', async () => {
    const out = await kubeadmInit(fleet, fleet.host('cp-1'), '1.34.3');
    expect(out).to.include('Your Kubernetes control-plane has initialized successfully!');
    const nodes = await eventually('cp-1 Ready', 60_000, async () => {
      const n = await kubectlJson(fleet, 'cp-1', 'get nodes');
      return readyNodes(n).includes('cp-1') ? n : undefined;
    });
    expect(nodes.items[0].status.nodeInfo.kubeletVersion).to.equal('v1.34.3');
    expect(nodes.items[0].status.nodeInfo.containerRuntimeVersion).to.match(/^containerd:\/\/\d/);
    expect(nodes.items[0].metadata.labels).to.include({ 'kubernetes.io/hostname': 'cp-1', 'node-role.kubernetes.io/control-plane': '' });
    const cms = await kubectlJson(fleet, 'cp-1', 'get configmaps -n kube-system');
    expect(cms.items.map((c: any) => c.metadata.name)).to.include.members(['kubeadm-config', 'kubelet-config', 'kube-proxy', 'coredns']);
    const table = await sh(fleet, 'cp-1', 'KUBECONFIG=/etc/kubernetes/admin.conf kubectl get nodes');
    expect(table).to.match(/cp-1\s+Ready\s+control-plane\s+\S+\s+v1\.34\.3/);
  });

  it('joins a second control plane (new etcd member) and a worker (TLS bootstrap)', async () => {
    await kubeadmJoin(fleet, fleet.host('cp-2'), endpoint, true, '1.34.3', 'cp-1');
    const pinned = await shResult(fleet, 'worker-1', `timeout 60 kubeadm join ${endpoint} --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash sha256:${'0'.repeat(64)}`);
    expect(pinned.exitCode).to.equal(1);
    expect(pinned.stderr).to.match(/none of the public keys "sha256:[0-9a-f]{64}" are pinned/);
    await kubeadmJoin(fleet, fleet.host('worker-1'), endpoint, false, '1.34.3');
    expect(await etcdMembers(fleet, 'cp-1')).to.have.length(2);
    const nodes = await eventually('all nodes Ready', 60_000, async () => {
      const n = await kubectlJson(fleet, 'cp-1', 'get nodes');
      return readyNodes(n).length === 3 ? n : undefined;
    });
    expect(nodes.items.map((n: any) => n.metadata.name).sort()).to.deep.equal(['cp-1', 'cp-2', 'worker-1']);
    const pods = await eventually('8 control plane mirror pods', 60_000, async () => {
      const list = await kubectlJson(fleet, 'cp-1', 'get pods -n kube-system -l tier=control-plane');
      return list.items.length === 8 ? list : undefined;
    });
    const images = pods.items.map((p: any) => `${p.metadata.name}=${p.spec.containers[0].image}`);
    expect(images).to.include.members([
      'kube-apiserver-cp-1=registry.k8s.io/kube-apiserver:v1.34.3',
      'kube-apiserver-cp-2=registry.k8s.io/kube-apiserver:v1.34.3',
      'kube-scheduler-cp-2=registry.k8s.io/kube-scheduler:v1.34.3',
    ]);
    expect(pods.items.filter((p: any) => p.metadata.name.startsWith('etcd-'))).to.have.length(2);
    const worker = nodes.items.find((n: any) => n.metadata.name === 'worker-1');
    expect(worker.spec.taints ?? []).to.deep.equal([]);
    const cidrs = await eventually('pod CIDRs on every node', 30_000, async () => {
      const n = await kubectlJson(fleet, 'cp-1', 'get nodes');
      const list = n.items.map((x: any) => x.spec.podCIDR);
      return list.every(Boolean) ? list : undefined;
    });
    expect(new Set(cidrs).size).to.equal(3);
    for (const c of cidrs) expect(c).to.match(/^10\.244\.\d+\.0\/24$/);
    expect(await sh(fleet, 'worker-1', 'test -f /etc/kubernetes/bootstrap-kubelet.conf && echo present || echo gone')).to.include('gone');
  });

  it('reports a node NotReady while containerd is stopped', async () => {
    const ready = async (): Promise<string> => {
      const n = await kubectlJson(fleet, 'cp-1', 'get node worker-1');
      return n.status.conditions.find((c: any) => c.type === 'Ready').status;
    };
    await sh(fleet, 'worker-1', 'systemctl stop containerd');
    await eventually('worker-1 NotReady', 40_000, async () => ((await ready()) === 'False' ? true : undefined));
    await sh(fleet, 'worker-1', 'systemctl start containerd');
    await eventually('worker-1 Ready again', 40_000, async () => ((await ready()) === 'True' ? true : undefined));
  });

  it('refuses to skip a minor version and to upgrade a node before the control plane', async () => {
    await installBinaries(fleet, 'cp-1', '1.36.0');
    const skip = await shResult(fleet, 'cp-1', 'kubeadm upgrade apply v1.36.0 --yes');
    expect(skip.exitCode).to.not.equal(0);
    expect(skip.stderr).to.include('is too high; kubeadm can upgrade only 1 minor version at a time');
    await installBinaries(fleet, 'worker-1', '1.35.1');
    const early = await shResult(fleet, 'worker-1', 'kubeadm upgrade node');
    expect(early.exitCode).to.not.equal(0);
    expect(early.stderr).to.match(/newer than the control plane version "v1.34.3"/);
  });

  it('upgrades 1.34 -> 1.35: control plane first, then the other nodes', async () => {
    await installBinaries(fleet, 'cp-1', '1.35.1');
    const out = await sh(fleet, 'cp-1', 'kubeadm upgrade apply v1.35.1 --yes 2>&1');
    expect(out).to.include('[upgrade] SUCCESS! A control plane node of your cluster was upgraded to "v1.35.1".');
    const pod = await kubectlJson(fleet, 'cp-1', 'get pod -n kube-system kube-apiserver-cp-1');
    expect(pod.spec.containers[0].image).to.equal('registry.k8s.io/kube-apiserver:v1.35.1');
    const version = await kubectlJson(fleet, 'cp-1', 'version');
    expect(version.serverVersion.gitVersion).to.match(/^v1\.3[45]\.\d/);
    await installBinaries(fleet, 'cp-2', '1.35.1');
    await sh(fleet, 'cp-2', 'kubeadm upgrade node 2>&1');
    const pod2 = await kubectlJson(fleet, 'cp-1', 'get pod -n kube-system kube-controller-manager-cp-2');
    expect(pod2.spec.containers[0].image).to.equal('registry.k8s.io/kube-controller-manager:v1.35.1');
    expect(await sh(fleet, 'worker-1', 'kubeadm upgrade node 2>&1')).to.include('The configuration for this node was successfully upgraded!');
    // The kubelet reports its new version only after the binary is replaced and restarted.
    await sh(fleet, 'worker-1', 'systemctl restart kubelet');
    await eventually('worker-1 kubelet v1.35.1', 60_000, async () => {
      const n = await kubectlJson(fleet, 'cp-1', 'get node worker-1');
      return n.status.nodeInfo.kubeletVersion === 'v1.35.1' ? true : undefined;
    });
  });

  it('manages bootstrap tokens and certificates like kubeadm', async () => {
    const join = await sh(fleet, 'cp-1', 'kubeadm token create --ttl 2h --print-join-command');
    const m = /^kubeadm join (\S+) --token (\S+) --discovery-token-ca-cert-hash (sha256:[0-9a-f]{64})\s*$/.exec(join.trim());
    expect(m, join).to.not.equal(null);
    expect(m![1]).to.equal(endpoint);
    expect(await sh(fleet, 'cp-1', 'kubeadm token list')).to.include(m![2]!);
    const hash = (await sh(fleet, 'cp-1', "openssl x509 -pubkey -in /etc/kubernetes/pki/ca.crt -noout | openssl pkey -pubin -outform der | sha256sum | cut -d' ' -f1")).trim();
    expect(m![3]).to.equal(`sha256:${hash}`);
    const before = await sh(fleet, 'cp-1', 'openssl x509 -noout -serial -in /etc/kubernetes/pki/apiserver.crt');
    expect(await sh(fleet, 'cp-1', 'kubeadm certs renew all')).to.include('Done renewing certificates.');
    expect(await sh(fleet, 'cp-1', 'openssl x509 -noout -serial -in /etc/kubernetes/pki/apiserver.crt')).to.not.equal(before);
    const table = await sh(fleet, 'cp-1', 'kubeadm certs check-expiration');
    expect(table).to.match(/^apiserver\s+\w{3} \d{2}, \d{4} \d{2}:\d{2} UTC\s+36[45]d\s+ca\s+no$/m);
    expect(table).to.match(/^ca\s+\w{3} \d{2}, \d{4} \d{2}:\d{2} UTC\s+9y\s+no$/m);
  });

  it('resets every node and initializes a fresh cluster again', async () => {
    for (const h of ['worker-1', 'cp-2', 'cp-1']) {
      const out = await sh(fleet, h, 'kubeadm reset --force 2>&1');
      expect(out).to.include('[reset] Deleting contents of directories');
    }
    const left = await sh(fleet, 'cp-1', 'ls -A /etc/kubernetes/manifests /var/lib/etcd /var/lib/kubelet; ls /etc/kubernetes');
    expect(left.replace(/\s+/g, ' ')).to.not.match(/\.yaml|member|admin\.conf|kubelet\.conf|config\.yaml/);
    await eventually('static pods gone', 30_000, async () => ((await shResult(fleet, 'cp-1', 'pgrep -x etcd')).exitCode !== 0 ? true : undefined));
    await kubeadmInit(fleet, fleet.host('cp-1'), '1.35.1');
    const nodes = await eventually('fresh cp-1 Ready', 60_000, async () => {
      const n = await kubectlJson(fleet, 'cp-1', 'get nodes');
      return readyNodes(n).includes('cp-1') ? n : undefined;
    });
    expect(nodes.items.map((n: any) => n.metadata.name)).to.deep.equal(['cp-1']);
    expect(await etcdMembers(fleet, 'cp-1')).to.have.length(1);
  });
});
