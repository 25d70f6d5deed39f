import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { computeDesired } from '../desired/index.js';
import { execute } from '../executor/engine.js';
import { opHandlers } from '../executor/run-context.js';
import { action, step } from '../executor/testing/plan-builder.js';
import type { Action } from '../plan/types.js';
import { fixtureCluster } from '../scripts/testing/fixtures.js';
import type { Snapshot } from '../snapshot/types.js';
import type { OpDeps } from './context.js';
import { memberIdDecimal } from './etcd-member-remove.js';
import type { CsrView } from '../kube/kubelet-serving-csr.js';
import type { KubeApi, NodeView, PodRef } from './kube-api.js';
import { emptyRecord, parseRecord } from '../ownership/record.js';
import { caCertHash } from './pki.js';
import { OPS, STEP_OPS } from './registry.js';
import { FakeTransport } from './testing/fake-transport.js';
import type { OpDefinition } from './types.js';

const CA = readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'testing/testdata/ca.crt'));
const CA_HASH = 'sha256:4e3715fb6a423620fa73564fe9871164c4ca243346081d8834c06c9ec990432c';
const TOKEN = 'abcdef.0123456789abcdef';

function snapshot(): Snapshot {
  const hosts = ['cp-1', 'cp-2', 'worker-1'].map((name, id) => ({
    name,
    id,
    role: (id < 2 ? 'controlPlane' : 'staticWorker') as 'controlPlane' | 'staticWorker',
    address: `127.0.0.1:220${id}`,
    privateAddress: `10.0.0.${id}`,
    reachable: true,
    os: { id: 'debian', versionId: '12', prettyName: 'Debian' },
    arch: 'amd64',
  }));
  return {
    formatVersion: 'kubeone.snapshot/v1',
    hash: 'h',
    state: { cluster: 'demo', hosts, kube: { leader: 'cp-1', apiserverHealthy: { 'cp-1': true, 'cp-2': true }, nodes: [], etcdMembers: [], components: {}, clusterConfiguration: null, addonObjects: [] } },
    meta: { tool: 't', probedAt: 'now', durationMs: 1 },
  };
}

function setup(kube?: KubeApi, overrides: Parameters<typeof fixtureCluster>[0] = {}) {
  const loaded = fixtureCluster(overrides);
  const transports = new Map(loaded.hosts.map((h) => [h.name, new FakeTransport(h.name)]));
  const leader = transports.get('cp-1')!;
  leader.files.set('/etc/kubernetes/pki/ca.crt', { content: CA });
  leader.onScript = (s) => (s.includes('kubeadm token create') ? { stdout: `${TOKEN}\n` } : {});
  const deps: OpDeps = {
    loaded,
    snapshot: snapshot(),
    desired: computeDesired(loaded, []),
    transport: async (h) => transports.get(h)!,
    kube: async () => kube!,
    kubeConfig: async () => ({}),
    addons: { apply: async () => undefined, prune: async () => undefined },
    clock: { now: () => new Date(), sleep: async () => undefined },
    secrets: new Set(),
    leader: 'cp-1',
  };
  const run = (a: Action, i = 0) => {
    const s = a.steps[i]!;
    const definition = OPS[s.op] as OpDefinition<unknown>;
    return definition.run({ deps, runId: 'r', action: a, step: s, signal: new AbortController().signal }, s.params);
  };
  return { loaded, transports, deps, run };
}

describe('step ops', () => {
  it('the registry defines every op completely, with a params schema exactly when the op takes params', () => {
    for (const op of STEP_OPS) {
      const d = OPS[op] as OpDefinition<unknown>;
      expect([typeof d.run, typeof d.stillDone, typeof d.model], op).to.deep.equal(['function', 'function', 'function']);
      expect(d.summary, op).to.be.a('string').and.not.equal('');
      expect(['host', 'cluster', 'nothing'], op).to.include(d.changes);
      // A marker stands for the host the step changes: only ops that change their host write one.
      expect(d.marksInflight, op).to.equal(d.changes === 'host');
      if (d.cordon) expect(d.node, `${op} names its Node`).to.be.a('function');
    }
    expect(STEP_OPS.filter((op) => OPS[op].params === null)).to.deep.equal([
      'host.prerequisites', 'host.containerd.install', 'host.containerd.configure', 'host.kubelet.configure', 'host.kubelet.restart',
      'host.controlplane.files', 'namespace.nodeSelector', 'host.images.prune', 'kubeadm.config.render', 'kubeadm.config.upload', 'kubeadm.reset',
    ]);
  });

  it('kubeadm.join: a fresh 15m token, passed in a 0600 file, never on a command line', async () => {
    const { transports, deps, run } = setup();
    await run(action('join-worker:worker-1', { steps: [step('kubeadm.join', 'worker-1', { controlPlane: false, version: '1.35.1' })] }));
    const worker = transports.get('worker-1')!;
    const joinFile = worker.writes.find((w) => w.path.includes('/kubeone/cfg/join-'))!;
    expect(joinFile.mode).to.equal(0o600);
    const content = worker.files.get(joinFile.path)!.content.toString();
    expect(content).to.contain(`token: ${TOKEN}`).and.contain(CA_HASH);
    const allCommands = [...transports.values()].flatMap((t) => t.execs.map((e) => e.command));
    expect(allCommands.join('\n')).not.to.contain(TOKEN);
    expect(worker.scripts.join('\n')).not.to.contain(TOKEN);
    expect(worker.scripts.at(-1)).to.contain('kubeadm join --config=').and.contain(`trap 'sudo rm -f '\\''${joinFile.path}'\\''' EXIT`);
    expect(transports.get('cp-1')!.scripts.some((s) => s.includes('kubeadm token create --ttl 15m'))).to.equal(true);
    expect([...deps.secrets]).to.deep.equal([TOKEN]);
  });

  it('kubeadm.join on an already joined node creates no token', async () => {
    const { transports, run } = setup();
    const worker = transports.get('worker-1')!;
    worker.files.set('/etc/kubernetes/kubelet.conf', { content: Buffer.from('x') });
    await run(action('j', { steps: [step('kubeadm.join', 'worker-1', { controlPlane: false, version: '1.35.1' })] }));
    expect(transports.get('cp-1')!.scripts).to.deep.equal([]);
    expect(worker.scripts).to.deep.equal([]);
    // A join a killed run left halfway (started, not done) is redone with a fresh token.
    worker.files.set('/var/lib/kubeone/join.started', { content: Buffer.from('') });
    await run(action('j', { steps: [step('kubeadm.join', 'worker-1', { controlPlane: false, version: '1.35.1' })] }));
    expect(transports.get('cp-1')!.scripts).to.have.length(1);
    expect(worker.scripts.at(-1)).to.contain('sudo kubeadm reset --force');
  });

  it('pki.distribute copies the shared CA material with mode 0600, only what differs', async () => {
    const { transports, run } = setup();
    const leader = transports.get('cp-1')!;
    for (const f of ['ca.key', 'sa.key', 'sa.pub', 'front-proxy-ca.crt', 'front-proxy-ca.key', 'etcd/ca.crt', 'etcd/ca.key']) {
      leader.files.set(`/etc/kubernetes/pki/${f}`, { content: Buffer.from(`pem ${f}`) });
    }
    const a = action('join-cp:cp-2', { steps: [step('pki.distribute', 'cp-2', { from: 'cp-1' })] });
    await run(a);
    const cp2 = transports.get('cp-2')!;
    expect(cp2.writes).to.have.length(8);
    expect(cp2.writes.every((w) => w.mode === 0o600)).to.equal(true);
    expect(cp2.files.get('/etc/kubernetes/pki/ca.crt')!.content.equals(CA)).to.equal(true);
    await run(a);
    expect(cp2.writes).to.have.length(8);
  });

  it('host.containerd.configure writes changed files and restarts containerd only then', async () => {
    const { transports, run } = setup();
    const a = action('cfg', { steps: [step('host.containerd.configure', 'worker-1')] });
    await run(a);
    const w = transports.get('worker-1')!;
    expect(w.files.get('/etc/containerd/config.toml')!.mode).to.equal(0o600);
    expect(w.scripts.filter((s) => s.includes('restart containerd'))).to.have.length(1);
    await run(a);
    expect(w.scripts.filter((s) => s.includes('restart containerd'))).to.have.length(1);
    // A registry dropped from the manifest loses its hosts.toml (and containerd restarts).
    w.files.set('/etc/containerd/certs.d/old.registry/hosts.toml', { content: Buffer.from('server = "https://old"') });
    await run(a);
    expect(w.files.has('/etc/containerd/certs.d/old.registry/hosts.toml')).to.equal(false);
    expect(w.scripts.filter((s) => s.includes('restart containerd'))).to.have.length(2);
  });

  it('host.binaries.install uploads a local bundle once (by hash) and installs from it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bundle-'));
    writeFileSync(join(dir, 'kubernetes-node-linux-amd64-v1.35.1.tar.gz'), 'fake tarball');
    const { transports, loaded, run } = setup(undefined, { kubernetesBinaries: { bundle: { path: './kubernetes-node-linux-{arch}-v{version}.tar.gz' } } });
    loaded.baseDir = dir;
    const a = action('bin', { steps: [step('host.binaries.install', 'worker-1', { version: '1.35.1', components: ['kubeadm', 'kubelet', 'kubectl'] })] });
    await run(a);
    await run(a);
    const w = transports.get('worker-1')!;
    expect(w.uploads).to.deep.equal(['/var/lib/kubeone/bundles/kubernetes-node-linux-amd64-v1.35.1.tar.gz']);
    expect(w.scripts).to.have.length(2);
    expect(w.scripts[0]).to.contain('"origin":"bundle","version":"1.35.1"');
  });

  it('node.drain cordons, evicts all but DaemonSet/mirror pods, waits until they are gone', async () => {
    let pods: PodRef[] = [
      { namespace: 'kube-system', name: 'ds-pod', skip: true },
      { namespace: 'default', name: 'app-1', skip: false },
    ];
    const node: NodeView = { name: 'worker-1', unschedulable: false, ready: true, labels: {}, annotations: {}, taints: [] };
    const evicted: string[] = [];
    const kube: KubeApi = {
      getNode: async () => node,
      patchNode: async (_n, p) => void (p.unschedulable !== undefined && (node.unschedulable = p.unschedulable)),
      podsOnNode: async () => pods,
      evict: async (ns, name) => {
        evicted.push(`${ns}/${name}`);
        pods = pods.filter((p) => p.name !== name);
        return 'evicted';
      },
      deleteNode: async () => undefined,
      listCsrs: async () => [],
      approveCsr: async () => undefined,
      putConfigMap: async () => undefined,
    };
    const { run } = setup(kube);
    await run(action('u', { steps: [step('node.drain', 'worker-1', { node: 'worker-1' })] }));
    expect(node.unschedulable).to.equal(true);
    expect(evicted).to.deep.equal(['default/app-1']);
    await run(action('u', { steps: [step('node.uncordon', 'worker-1', { node: 'worker-1' })] }));
    expect(node.unschedulable).to.equal(false);
  });

  it("an upgrade's node.cordon / node.uncordon set and remove kubeone.io/upgrade-in-progress in the same patch as the cordon", async () => {
    const node: NodeView = { name: 'worker-1', unschedulable: false, ready: true, labels: { keep: 'me' }, annotations: {}, taints: [] };
    const patches: unknown[] = [];
    const kube = {
      getNode: async () => node,
      patchNode: async (_n: string, p: { unschedulable?: boolean; labels?: Record<string, string | null> }) => {
        patches.push(p);
        if (p.unschedulable !== undefined) node.unschedulable = p.unschedulable;
        for (const [k, v] of Object.entries(p.labels ?? {})) {
          if (v === null) delete node.labels[k];
          else node.labels[k] = v;
        }
      },
    } as unknown as KubeApi;
    const { run } = setup(kube);
    await run(action('u', { steps: [step('node.cordon', 'worker-1', { node: 'worker-1', upgrade: true })] }));
    expect(patches).to.deep.equal([{ unschedulable: true, labels: { 'kubeone.io/upgrade-in-progress': '' } }]);
    expect(node.labels).to.deep.equal({ keep: 'me', 'kubeone.io/upgrade-in-progress': '' });
    await run(action('u', { steps: [step('node.uncordon', 'worker-1', { node: 'worker-1', upgrade: true })] }));
    expect(patches[1]).to.deep.equal({ unschedulable: false, labels: { 'kubeone.io/upgrade-in-progress': null } });
    expect(node).to.deep.include({ unschedulable: false, labels: { keep: 'me' } });
    // Another cordon (a removal, a repair) leaves labels alone.
    await run(action('u', { steps: [step('node.cordon', 'worker-1', { node: 'worker-1' })] }));
    expect(patches[2]).to.deep.equal({ unschedulable: true });
    const cordon = OPS['node.cordon'];
    const view = (labels: Record<string, string>) => ({ node: { unschedulable: true, labels } }) as never;
    expect(cordon.stillDone(view({}), { node: 'worker-1', upgrade: true })).to.equal(false);
    expect(cordon.stillDone(view({ 'kubeone.io/upgrade-in-progress': '' }), { node: 'worker-1', upgrade: true })).to.equal(true);
  });

  it('node.waitReady: registered is enough after a join, Ready is needed after an upgrade', async () => {
    const node: NodeView = { name: 'worker-1', unschedulable: false, ready: false, labels: {}, annotations: {}, taints: [] };
    const kube = { getNode: async () => node, listCsrs: async () => [] } as unknown as KubeApi;
    const { run, deps } = setup(kube);
    deps.waitReadyTimeoutMs = 0;
    // The planner writes ready: false into the joins' waits and ready: true into the upgrades' (pkg/plan tests).
    await run(action('join-worker:worker-1', { kind: 'join-worker', steps: [step('node.waitReady', 'worker-1', { node: 'worker-1', ready: false })] }));
    const err = await run(action('upgrade-worker:worker-1:1.36.0', { kind: 'upgrade-worker', steps: [step('node.waitReady', 'worker-1', { node: 'worker-1', ready: true })] })).catch((e: Error) => e);
    expect((err as Error).message).to.contain('not Ready');
  });

  it("node.waitReady approves the node's kubelet serving CSR (KubeOne's checks) and refuses a forged one", async () => {
    const pem = (subject: string) =>
      execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', '/dev/null', '-subj', subject], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    const csr = (name: string, subject: string, username = 'system:node:worker-1'): CsrView => ({
      name,
      signerName: 'kubernetes.io/kubelet-serving',
      username,
      groups: ['system:nodes', 'system:authenticated'],
      usages: ['digital signature', 'key encipherment', 'server auth'],
      requestPem: pem(subject),
      approved: false,
      finished: false,
    });
    let csrs = [csr('mine', '/O=system:nodes/CN=system:node:worker-1'), csr('other-node', '/O=system:nodes/CN=system:node:cp-1', 'system:node:cp-1')];
    const approved: string[] = [];
    const kube = {
      getNode: async () => ({ name: 'worker-1', ready: true }),
      listCsrs: async () => csrs,
      approveCsr: async (name: string) => void approved.push(name),
    } as unknown as KubeApi;
    const { run } = setup(kube);
    const waitReady = action('join-worker:worker-1', { kind: 'join-worker', steps: [step('node.waitReady', 'worker-1', { node: 'worker-1' })] });
    await run(waitReady);
    expect(approved).to.deep.equal(['mine']);
    csrs = [csr('forged', '/O=system:masters/CN=system:node:worker-1')];
    const err = await run(waitReady).catch((e: Error) => e);
    expect((err as Error).message).to.match(/forged of node worker-1 not approved: its subject organizations \["system:masters"\]/);
    expect(approved).to.deep.equal(['mine']);
  });

  it('kubeadm.upgrade.node with reconfigure re-uploads the ClusterConfiguration, unguarded', async () => {
    const { transports, run } = setup();
    await run(action('reconfigure-control-plane:cp-2', { steps: [step('kubeadm.upgrade.node', 'cp-2', { version: '1.35.1', reconfigure: true })] }));
    const script = transports.get('cp-2')!.scripts.at(-1)!;
    expect(script).to.contain('kubeadm init phase upload-config kubeadm').and.contain('kubeadm upgrade node').and.not.contain('already at');
  });

  it('node.metadata turns the plan\'s `key-` removals into merge-patch nulls', async () => {
    const patches: unknown[] = [];
    const kube = { patchNode: async (_n: string, p: unknown) => void patches.push(p) } as unknown as KubeApi;
    const { run } = setup(kube);
    await run(action('sync', { steps: [step('node.metadata', 'worker-1', { node: 'worker-1', labels: { a: '1', 'old-': '' }, annotations: {} })] }));
    expect(patches).to.deep.equal([{ labels: { a: '1', old: null }, annotations: {} }]);
  });

  it('node.metadata sets and removes taints on the live list, keeping the taints others set', async () => {
    const node: NodeView = {
      name: 'worker-1', unschedulable: false, ready: true, labels: {}, annotations: {},
      taints: [{ key: 'theirs', effect: 'NoSchedule' }, { key: 'old', effect: 'NoExecute' }, { key: 'dedicated', value: 'web', effect: 'NoSchedule' }],
    };
    const patches: { taints?: unknown }[] = [];
    const kube = { getNode: async () => node, patchNode: async (_n: string, p: { taints?: unknown }) => void patches.push(p) } as unknown as KubeApi;
    const { run } = setup(kube);
    const params = { node: 'worker-1', labels: {}, annotations: {}, taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }], removeTaints: [{ key: 'old', effect: 'NoExecute' }] };
    await run(action('sync', { steps: [step('node.metadata', 'worker-1', params)] }));
    expect(patches[0]!.taints).to.deep.equal([{ key: 'theirs', effect: 'NoSchedule' }, { key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
  });

  it('kubeadm.config.render uploads the desired ClusterConfiguration: the live flags that are not kubeone\'s stay', async () => {
    const { transports, deps, run } = setup();
    const cc = deps.desired.clusterConfiguration as { apiServer: { extraArgs: { name: string; value: string }[] } };
    cc.apiServer.extraArgs.push({ name: 'encryption-provider-config', value: '/etc/kubernetes/encryption-providers/encryption-providers.yaml' });
    await run(action('reconfigure-control-plane:cp-1', { steps: [step('kubeadm.config.render', 'cp-1')] }));
    const written = [...transports.get('cp-1')!.files.entries()].find(([path]) => path.endsWith('/kubeone/cfg/init.yaml'))![1].content.toString();
    expect(written).to.contain('name: encryption-provider-config').and.contain('value: /etc/kubernetes/encryption-providers/encryption-providers.yaml');
  });

  it('ownership.record writes the record into kube-system/kubeone-ownership', async () => {
    const puts: unknown[][] = [];
    const kube = { putConfigMap: async (...args: unknown[]) => void puts.push(args) } as unknown as KubeApi;
    const { run } = setup(kube);
    const record = { ...emptyRecord(), nodes: { 'worker-1': { labels: ['zone'], annotations: [], taints: [] } } };
    await run(action('record-ownership:kube-system/kubeone-ownership', { steps: [step('ownership.record', undefined, { record })] }));
    expect(puts).to.have.length(1);
    const [namespace, name, data, labels] = puts[0]! as [string, string, Record<string, string>, Record<string, string>];
    expect([namespace, name, labels]).to.deep.equal(['kube-system', 'kubeone-ownership', { 'app.kubernetes.io/managed-by': 'kubeone' }]);
    expect(parseRecord(data['record.json']!).record).to.deep.equal(record);
  });

  it('kubeadm init failing halfway is retried by the one retry layer (the script resets first)', async () => {
    const { transports, deps } = setup();
    const cp = transports.get('cp-1')!;
    let inits = 0;
    cp.onScript = (script) => (script.includes('kubeadm init --config') && ++inits === 1 ? { code: 1, stderr: 'upload-config: namespaces "kube-system" not found' } : {});
    const summary = await execute([action('init-control-plane:cp-1', { steps: [step('kubeadm.init', 'cp-1', { version: '1.35.1' })] })], {
      runId: 'r',
      ops: opHandlers(deps),
      clock: deps.clock,
      retry: { attempts: 5, baseDelayMs: 1, factor: 1, maxDelayMs: 1 },
    });
    expect(summary.failed).to.deep.equal([]);
    expect(inits).to.equal(2);
    expect(cp.scripts[0]).to.contain('sudo kubeadm reset --force');
  });

  it('a precondition that cannot change is not retried (no healthy control plane for an etcd removal)', async () => {
    const { deps } = setup();
    deps.snapshot.state.kube!.apiserverHealthy = {};
    const events: string[] = [];
    const summary = await execute(
      [action('remove-node:cp-2', { steps: [step('etcd.member.remove', 'cp-2', { memberId: '8e9e05c52164694d', name: 'cp-2' })] })],
      { runId: 'r', ops: opHandlers(deps), clock: deps.clock, listeners: [(e) => events.push(e.type)] },
    );
    expect(summary.failed[0]!.error).to.contain('no healthy control plane');
    expect(events).not.to.include('step-retry');
  });

  it('etcd member ids are sent to the gateway in decimal', () => {
    expect(memberIdDecimal('8e9e05c52164694d')).to.equal('10276657743932975437');
    expect(memberIdDecimal('1234')).to.equal('4660');
    expect(memberIdDecimal('10276657743932975437')).to.equal('10276657743932975437');
    expect(() => memberIdDecimal('zz')).to.throw(/not a hex/);
    expect(caCertHash(CA)).to.equal(CA_HASH);
  });
});
