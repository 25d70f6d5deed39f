// Model test: for generated manifests and snapshots, applying the plan's effects in the
// in-memory executor model and planning again must give an empty plan.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import fc from 'fast-check';
import { objectKey } from '../addons/normalize.js';
import { STEP_OPS } from '../ops/registry.js';
import { withUnownedLiveSettings } from '../ownership/control-plane.js';
import { emptyRecord } from '../ownership/record.js';
import { renderPlanJson } from '../views/plan-json.js';
import { computePlan } from './index.js';
import { ACTION_KINDS } from './stages.js';
import { desiredRelease, liveRelease } from '../helm/testing/releases.js';
import { applyPlan } from './testing/apply-plan.js';
import {
  addon,
  clusterConfiguration,
  CONTAINERD_CONFIG,
  desiredState,
  KUBELET_CONFIG,
  sha256,
  SnapshotBuilder,
  standardFiles,
  type HostBuilder,
} from './testing/snapshot-builder.js';
import type { Plan, PlanOptions, RenderedAddon } from './types.js';
import { compareVersions } from './version.js';
import { desiredEncryptionPath } from '../encryption/desired.js';
import { initialKeyName, nextKeyName } from '../encryption/keys.js';
import { AUDIT_POLICY_PATH } from '../kubeadm/control-plane-files.js';
import type { EncryptionFileFacts, MachineFacts } from '../snapshot/types.js';
import type { KubeOneCluster } from '../api/types.js';
import { comparableView, renderMachineDeployments } from '../machines/machine-deployments.js';
import { CUSTOM, customSummary, desiredCustom, encryptionOn, fileOf, GEN, generatedFile, STARTED, withEncryptionFlag, WRITTEN } from './testing/encryption-facts.js';

const validatePlan = new Ajv({ strict: true, allErrors: true }).compile(
  JSON.parse(readFileSync(new URL('../../schemas/plan-v1.json', import.meta.url), 'utf8')),
);

const VERSIONS = ['1.34.3', '1.35.1', '1.36.0'];
const OPTIONS: PlanOptions = { now: '2026-11-25T00:00:00Z', intermediateVersions: { '1.35': '1.35.1' }, workerBatchSize: 2 };

type Stage = 'fresh' | 'prerequisites' | 'runtime' | 'binaries' | 'joined';

const hostArb = fc.record({
  stage: fc.constantFrom<Stage>('fresh', 'prerequisites', 'runtime', 'binaries', 'joined', 'joined', 'joined'),
  atDesired: fc.boolean(),
  containerdDrift: fc.boolean(),
  kubeletDrift: fc.boolean(),
  labels: fc.constantFrom<Record<string, string> | undefined>(undefined, { zone: 'a' }, { zone: 'b', tier: 'x' }, { 'zone-': '', tier: 'x' }),
  liveLabels: fc.constantFrom<Record<string, string> | undefined>(undefined, { zone: 'a' }, { zone: 'a', team: 'theirs' }),
  /** How the live labels' ownership is known: the ownership record, an earlier kubeone's annotation, or not at all (someone else's). */
  labelOwner: fc.constantFrom<'record' | 'legacy' | 'none'>('record', 'legacy', 'none'),
  taints: fc.constantFrom<{ key: string; value?: string; effect: string }[] | undefined>(undefined, [], [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]),
  liveTaints: fc.constantFrom<{ key: string; value?: string; effect: string }[]>([], [{ key: 'dedicated', value: 'web', effect: 'NoSchedule' }], [{ key: 'theirs', effect: 'NoExecute' }]),
  certsSoon: fc.boolean(),
  /** The apiserver certificate lacks the API endpoint's name (control planes). */
  sanDrift: fc.boolean(),
});

const scenarioArb = fc.record({
  desiredIndex: fc.integer({ min: 0, max: 2 }),
  behind: fc.integer({ min: 0, max: 2 }),
  existing: fc.boolean(),
  cps: fc.array(hostArb, { minLength: 1, maxLength: 3 }),
  workers: fc.array(hostArb, { maxLength: 3 }),
  deadReplacement: fc.boolean(),
  strayWorker: fc.boolean(),
  flagDrift: fc.boolean(),
  addonsWanted: fc.subarray(['a', 'b', 'c']),
  addonsLive: fc.subarray(['a', 'b', 'd']),
  addonVariant: fc.constantFrom('v1', 'v2'),
  /** The ownership record names the live addon objects (else they are someone else's: left alone). */
  addonsRecorded: fc.boolean(),
  /** The live kubeadm-config has a flag the manifest does not render: kubeone's before (recorded), or someone else's. */
  liveOnlyFlag: fc.constantFrom<'none' | 'owned' | 'unowned'>('none', 'owned', 'unowned'),
  /** The journal says a killed run left the first worker cordoned (and it still is). */
  leftCordoned: fc.boolean(),
  encryption: fc.record({
    /** unmanaged: the manifest does not mention encryption (the cluster's is left as it is). */
    desired: fc.constantFrom('unmanaged', 'off', 'generated', 'custom'),
    live: fc.constantFrom('none', 'one', 'added', 'promoted', 'identity-first', 'custom', 'custom-old'),
    /** kube-system/kubeone-encryption names the live configuration. */
    recorded: fc.boolean(),
    rotate: fc.boolean(),
    /** A killed run: cp-2 is one phase behind (or its apiserver did not load its file). */
    partial: fc.boolean(),
  }),
  /** The control planes' audit policy: not wanted, on the hosts, different there, missing there. */
  cpFiles: fc.constantFrom('none', 'match', 'drift', 'missing'),
  /** cp-1's audit policy changed after its apiserver started. */
  stale: fc.boolean(),
  podNodeSelector: fc.constantFrom('off', 'on', 'done'),
  helmWanted: fc.subarray(['a', 'b', 'c']),
  /** Live releases ('d' has left the manifest; kubeone's when helmRecorded). */
  helmLive: fc.subarray(['a', 'b', 'd']),
  /** pending-*: an interrupted run of ours left the releases so (the journal says). */
  helmVariant: fc.constantFrom('same', 'version', 'values', 'failed', 'pending-upgrade', 'pending-install'),
  /** The ownership record names the live releases (else, without the manifest naming them, they are someone else's: left alone). */
  helmRecorded: fc.boolean(),
  pruneImages: fc.boolean(),
  /** A one-time request of a command or flag: it holds for the first plan only (the plan after the run is planned without it). */
  request: fc.constantFrom<keyof PlanOptions | undefined>(undefined, 'forceUpgrade', 'forceInstall', 'renewCertificates', 'upgradeMachineDeployments'),
  /** dynamicWorkers on OpenStack; in an existing cluster their MachineDeployment runs the cluster's kubelet. */
  machines: fc.boolean(),
});

/** Ordering rules every plan must keep, whatever the input. */
function expectSafeOrder(plan: Plan): void {
  const position = new Map(plan.actions.map((a, i) => [a.id, i]));
  const reaches = (from: string, to: string, seen = new Set<string>()): boolean => {
    if (from === to) return true;
    if (seen.has(from)) return false;
    seen.add(from);
    return plan.actions[position.get(from)!].dependsOn.some((d) => reaches(d, to, seen));
  };
  for (const a of plan.actions) for (const d of a.dependsOn) expect(position.get(d)!, `${a.id} after ${d}`).to.be.lessThan(position.get(a.id)!);
  const upgrades = plan.actions.filter((a) => a.kind === 'upgrade-control-plane' || a.kind === 'upgrade-worker');
  for (const a of upgrades) {
    const version = a.id.split(':')[2];
    // kubeadm's rule: every control plane of a version before any worker of it, and versions in order.
    for (const b of upgrades) {
      const other = b.id.split(':')[2];
      if (other === version && a.kind === 'upgrade-worker' && b.kind === 'upgrade-control-plane') expect(reaches(a.id, b.id), `${a.id} waits for ${b.id}`).to.equal(true);
      if (compareVersions(other, version) < 0) expect(reaches(a.id, b.id), `${a.id} waits for ${b.id}`).to.equal(true);
    }
  }
  // Control-plane membership changes and upgrades never run two at a time.
  const serialCp = plan.actions.filter((a) => ['join-control-plane', 'upgrade-control-plane', 'reconfigure-control-plane'].includes(a.kind));
  for (const kind of ['join-control-plane', 'upgrade-control-plane', 'reconfigure-control-plane']) {
    const list = serialCp.filter((a) => a.kind === kind);
    for (let i = 1; i < list.length; i++) expect(reaches(list[i].id, list[i - 1].id), `${list[i].id} waits for ${list[i - 1].id}`).to.equal(true);
  }
  // Helm releases after every addon, one at a time in manifest order, uninstalls last.
  const helm = plan.actions.filter((a) => a.kind.endsWith('-helm-release'));
  for (const a of helm) for (const addon of plan.actions.filter((x) => x.kind === 'apply-addon')) expect(reaches(a.id, addon.id), `${a.id} waits for ${addon.id}`).to.equal(true);
  for (let i = 1; i < helm.length; i++) expect(reaches(helm[i].id, helm[i - 1].id), `${helm[i].id} waits for ${helm[i - 1].id}`).to.equal(true);
  expect(helm.map((a) => a.kind === 'uninstall-helm-release'), 'uninstalls last').to.deep.equal([...helm.map((a) => a.kind === 'uninstall-helm-release')].sort());
  for (const a of plan.actions.filter((x) => x.kind === 'join-control-plane' || x.kind === 'join-worker')) {
    const removal = plan.actions.find((x) => (x.kind === 'remove-etcd-member' || x.kind === 'remove-node') && x.hosts[0] === a.hosts[0]);
    if (removal) expect(reaches(a.id, removal.id), `${a.id} waits for ${removal.id}`).to.equal(true);
  }
}

type Scenario = typeof scenarioArb extends fc.Arbitrary<infer T> ? T : never;

function renderAddon(name: string, variant: string): RenderedAddon {
  return addon(name, [{ kind: 'ConfigMap', name: `${name}-config`, variant }, { kind: 'Deployment', name }]);
}

function build(s: Scenario) {
  const version = VERSIONS[s.desiredIndex];
  const clusterVersion = VERSIONS[Math.max(0, s.desiredIndex - s.behind)];
  const cpNames = s.cps.map((_, i) => `cp-${i + 1}`);
  const workerNames = s.workers.map((_, i) => `w-${i + 1}`);
  const hostConfig: Record<string, { labels?: Record<string, string>; taints?: { key: string; value?: string; effect: string }[] }> = {};
  [...s.cps, ...s.workers].forEach((h, i) => {
    hostConfig[[...cpNames, ...workerNames][i]] = { ...(h.labels ? { labels: h.labels } : {}), ...(h.taints ? { taints: h.taints } : {}) };
  });
  const enc = encryptionCase(s);
  const rendered = withEncryptionFlag(clusterConfiguration({ 'audit-log-maxage': '30' }), desiredEncryptionPath(enc.desired));
  const desired = desiredState({
    version,
    controlPlanes: cpNames,
    workers: workerNames,
    hostConfig,
    clusterConfiguration: rendered,
    // coredns-patch: its Deployment is kubeadm's, written again by every kubeadm upgrade apply.
    addons: [...s.addonsWanted.map((n) => renderAddon(n, 'v1')), COREDNS_PATCH],
  });
  desired.helmReleases = s.helmWanted.map((n, index) => desiredRelease(n, { index, values: { replicas: 1 } }));
  desired.cluster.cluster.apiEndpoint = { host: 'api.demo.example', port: 6443, alternativeNames: ['lb.demo.example'] };
  if (s.machines) {
    Object.assign(desired.cluster.cluster, { cloudProvider: { openstack: {} }, machineController: { deploy: true }, dynamicWorkers: [POOL] });
  }
  const record = emptyRecord();
  const b = new SnapshotBuilder();
  const existing = s.existing;
  desired.encryption = enc.desired;
  desired.cluster.cluster.features = {
    ...(enc.desired.mode === 'unmanaged' ? {} : { encryptionProviders: { enable: enc.desired.mode !== 'off' } }),
    ...(s.podNodeSelector !== 'off' ? { podNodeSelector: { enable: true, config: { configFilePath: 'pns.yaml' } } } : {}),
  };
  if (s.cpFiles !== 'none') for (const n of cpNames) desired.managedFiles[n] = { ...desired.managedFiles[n], [AUDIT_POLICY_PATH]: sha256('policy') };
  const describe = (name: string, role: 'controlPlane' | 'staticWorker', h: Scenario['cps'][number], isLeader: boolean) => {
    const stage: Stage = existing && isLeader ? 'joined' : !existing && h.stage === 'joined' ? 'binaries' : h.stage;
    const v = h.atDesired ? version : clusterVersion;
    b.host(name, role, (x: HostBuilder) => {
      if (stage === 'fresh') return;
      x.prerequisites();
      if (stage === 'prerequisites') return;
      x.containerd().files({ [CONTAINERD_CONFIG]: h.containerdDrift ? sha256('drift') : standardFiles(name)[CONTAINERD_CONFIG] });
      if (stage === 'runtime') return;
      x.binaries(stage === 'joined' ? v : h.atDesired ? version : clusterVersion);
      if (stage !== 'joined') return;
      x.joined().files(standardFiles(name));
      if (h.kubeletDrift) x.files({ [KUBELET_CONFIG]: sha256('old kubelet config') });
      if (role === 'controlPlane') {
        x.controlPlane(v, h.certsSoon ? '2026-12-20T00:00:00Z' : '2027-11-01T00:00:00Z');
        if (h.sanDrift) x.facts.apiserverSans = ['DNS:kubernetes', 'IP:10.96.0.1'];
        const lagging = enc.partial && name === 'cp-2';
        if (enc.files) encryptionOn(x.facts, enc.flag, lagging && enc.lagFiles ? enc.lagFiles : enc.files, lagging && !enc.lagFiles ? '2026-07-01T00:00:00.000Z' : WRITTEN);
        if (s.cpFiles === 'match' || s.cpFiles === 'drift') {
          x.files({ [AUDIT_POLICY_PATH]: sha256(s.cpFiles === 'match' ? 'policy' : 'old policy') });
          x.facts.inputsModified = { ...x.facts.inputsModified, [AUDIT_POLICY_PATH]: s.stale && name === 'cp-1' ? '2026-07-01T00:00:00.000Z' : WRITTEN };
        }
      }
    });
    if (stage === 'joined') {
      const legacy = h.liveLabels && h.labelOwner === 'legacy';
      b.node(name, { version: v, labels: { ...(h.liveLabels ?? {}) }, annotations: legacy ? { 'kubeone.k8c.io/managed-labels': 'zone' } : {}, taints: structuredClone(h.liveTaints) });
      if (h.liveLabels && h.labelOwner === 'record') record.nodes[name] = { labels: ['zone'], annotations: [], taints: h.liveTaints.filter((t) => t.key === 'dedicated').map((t) => `${t.key}:${t.effect}`) };
      if (role === 'controlPlane') b.etcdMember(name);
    }
  };
  cpNames.forEach((n, i) => describe(n, 'controlPlane', s.cps[i], i === 0));
  workerNames.forEach((n, i) => describe(n, 'staticWorker', s.workers[i], false));
  if (existing) {
    const liveFlags: Record<string, string> = s.flagDrift ? {} : { 'audit-log-maxage': '30' };
    if (s.liveOnlyFlag !== 'none') liveFlags['oidc-issuer-url'] = 'https://idp.example';
    if (s.liveOnlyFlag === 'owned') record.controlPlane.flags.apiServer = ['audit-log-maxage', 'oidc-issuer-url'];
    b.cluster({ leader: 'cp-1', clusterConfiguration: withEncryptionFlag(clusterConfiguration(liveFlags), enc.flag) });
    b.editKube((k) => {
      k.started = { 'kube-apiserver': {}, 'kube-controller-manager': {} };
      for (const n of k.nodes.filter((x) => cpNames.includes(x.name))) for (const c of Object.values(k.started)) c[n.name] = STARTED;
      if (enc.record) k.encryptionRewrite = enc.record;
      if (s.podNodeSelector === 'done') k.kubeSystemNodeSelector = '';
    });
    for (const n of s.addonsLive) b.addonObjects(renderAddon(n, s.addonVariant));
    b.editKube((k) => {
      const v = s.helmVariant;
      k.helmReleases = [
        ...s.helmLive.map((n) => liveRelease(n, { chartVersion: v === 'version' ? '0.9.0' : '1.0.0', config: { replicas: v === 'values' ? 2 : 1 }, status: ['failed', 'pending-upgrade', 'pending-install'].includes(v) ? v : 'deployed' })),
        // Installed by someone else: never touched.
        liveRelease('other', { managed: false }),
      ];
    });
    b.addonObjects(COREDNS_PATCH);
    if (s.addonsRecorded) for (const n of s.addonsLive) record.addons[n] = renderAddon(n, s.addonVariant).objects.map(objectKey);
    if (s.helmRecorded) record.helmReleases = s.helmLive.map((n) => `apps/${n}`);
    b.editKube((k) => (k.ownership = record));
    if (s.machines) b.editKube((k) => (k.machines = liveMachines(desired.cluster.cluster, clusterVersion)));
    // A dead control plane being replaced by a fresh host (only with three, so quorum holds).
    if (s.deadReplacement && cpNames.length === 3 && s.cps[1].stage === 'joined') {
      b.editKube((k) => {
        k.nodes = k.nodes.filter((n) => n.name !== 'cp-3');
        k.etcdMembers = k.etcdMembers.filter((m) => m.name !== 'cp-3');
      });
      b.node('cp-3', { version: clusterVersion, ready: false }).etcdMember('cp-3', { healthy: false });
    }
    if (s.strayWorker) {
      b.convergedHost('old-1', 'staticWorker', { version: clusterVersion });
      b.editKube((k) => (k.nodes.find((n) => n.name === 'old-1')!.host = null));
    }
  }
  const options: PlanOptions = { ...OPTIONS, pruneImages: s.pruneImages, ...(enc.rotate ? { rotateEncryptionKey: true } : {}) };
  if (existing && s.helmVariant.startsWith('pending-')) options.interrupted = { nodesLeftCordoned: [], helmReleases: s.helmLive.map((n) => `apps/${n}`) };
  if (s.leftCordoned && existing && s.workers[0]?.stage === 'joined') {
    b.editKube((k) => (k.nodes.find((n) => n.name === 'w-1')!.unschedulable = true));
    options.interrupted = { ...options.interrupted, nodesLeftCordoned: ['w-1'] };
  }
  const snapshot = b.build();
  // As computeDesired: the live flags that are not kubeone's stay in the uploaded configuration.
  const merged = withUnownedLiveSettings(rendered, snapshot.state.kube?.clusterConfiguration, snapshot.state.kube?.ownership, desired.cluster.cluster);
  desired.clusterConfiguration = merged.clusterConfiguration;
  desired.keptSettings = merged.kept;
  return { desired, snapshot, options };
}

/**
 * The encryption of a scenario: what the manifest wants, what the control planes have (cp-2 one
 * phase behind when partial), the rewrite record. Combinations the planner refuses (tested in
 * encryption.test.ts) are turned into ones it accepts.
 */
function encryptionCase(s: Scenario) {
  const e = { ...s.encryption };
  const generatedLive = ['one', 'added', 'promoted', 'identity-first'].includes(e.live);
  if (!s.existing || (e.desired === 'generated' && e.live.startsWith('custom')) || (e.desired === 'custom' && generatedLive)) e.live = 'none';
  // An upgrade renders the flag before any encryption phase could run: the planner refuses a
  // flag change beside it (encryption.test.ts), so such scenarios keep the cluster's setting.
  const mayUpgrade = s.request === 'forceUpgrade' || s.behind > 0;
  if (s.existing && mayUpgrade) {
    if (e.live === 'none') e.desired = e.desired === 'unmanaged' ? 'unmanaged' : 'off';
    else if (e.desired === 'off') e.desired = e.live.startsWith('custom') ? 'custom' : 'generated';
  }
  const rotate = e.rotate && s.existing && e.desired === 'generated' && e.live !== 'none' && !e.live.startsWith('custom');
  const k1 = initialKeyName('demo');
  const n = nextKeyName(k1);
  const custom = customSummary();
  const live: Record<string, { files: Record<string, EncryptionFileFacts>; lag?: Record<string, EncryptionFileFacts>; primary: string }> = {
    one: { files: { [GEN]: generatedFile([k1]) }, primary: `aescbc:${k1}` },
    added: { files: { [GEN]: generatedFile([k1, n]) }, lag: { [GEN]: generatedFile([k1]) }, primary: `aescbc:${k1}` },
    promoted: { files: { [GEN]: generatedFile([n, k1]) }, lag: { [GEN]: generatedFile([k1, n]) }, primary: `aescbc:${n}` },
    'identity-first': { files: { [GEN]: generatedFile([k1], true) }, lag: { [GEN]: generatedFile([k1]) }, primary: 'identity' },
    custom: { files: { [CUSTOM]: fileOf(custom, desiredCustom(custom).mode === 'custom' ? (desiredCustom(custom) as { sha256: string }).sha256 : undefined) }, primary: 'aesgcm:custom-key' },
    'custom-old': { files: { [CUSTOM]: fileOf(customSummary('custom-key', false)) }, primary: 'aesgcm:custom-key' },
  };
  const state = e.live === 'none' ? undefined : live[e.live]!;
  const flag = e.live === 'none' ? '' : e.live.startsWith('custom') ? CUSTOM : GEN;
  return {
    desired: e.desired === 'unmanaged' ? ({ mode: 'unmanaged' } as const) : e.desired === 'off' ? ({ mode: 'off' } as const) : e.desired === 'generated' ? ({ mode: 'generated', path: GEN } as const) : desiredCustom(custom),
    flag,
    files: state?.files,
    lagFiles: state?.lag,
    partial: e.partial && state !== undefined,
    rotate,
    record: state && e.recorded ? { config: Object.values(state.files)[0]!.sha256, primaries: { secrets: state.primary } } : undefined,
  };
}

const POOL = { name: 'demo-pool', replicas: 2, providerSpec: { operatingSystem: 'ubuntu', cloudProviderSpec: { image: 'ubuntu-24.04', flavor: 'm1.small' } } };

/** machine-controller's objects of a cluster whose workerset was created at `version` (as the probe reads them). */
function liveMachines(cluster: KubeOneCluster, version: string): MachineFacts {
  const md = renderMachineDeployments({ ...cluster, versions: { ...cluster.versions, kubernetes: version } })[0]!;
  return {
    crds: true,
    deployments: [{ name: md.metadata.name, kubelet: version, deleting: false, object: comparableView(md) }],
    machineSets: ['demo-pool-7d9f'],
    machines: [{ name: 'demo-pool-7d9f-a' }, { name: 'demo-pool-7d9f-b' }],
  };
}

const COREDNS_PATCH = addon('coredns-patch', [{ kind: 'Deployment', name: 'coredns' }]);

/** Ops the model tests ran, across all of them: every op of the registry must be exercised. */
const opsSeen = new Set<string>();

describe('planner model: plan, apply, plan again', () => {
  it('converges to an empty plan', () => {
    const kindsSeen = new Set<string>();
    fc.assert(
      fc.property(scenarioArb, (s) => {
        const { desired, snapshot, options } = build(s);
        const plan = computePlan(desired, snapshot, s.request ? { ...options, [s.request]: true } : options);
        expect(plan.refusals, JSON.stringify(plan.refusals)).to.deep.equal([]);
        for (const a of plan.actions) kindsSeen.add(a.kind);
        expectSafeOrder(plan);
        expect(validatePlan(JSON.parse(renderPlanJson(plan))), JSON.stringify(validatePlan.errors)).to.equal(true);
        const after = applyPlan(plan, snapshot, desired, {}, opsSeen);
        // A rotation is asked once: the apply that verifies the result plans without it.
        const again = computePlan(desired, after, { ...options, rotateEncryptionKey: false });
        expect(again.actions.map((a) => `${a.id}: ${a.reason}`)).to.deep.equal([]);
        // The MachineDeployments apply created are what the manifest renders: no difference to report.
        if (!s.existing && s.machines) expect(again.warnings.filter((w) => w.includes('MachineDeployment'))).to.deep.equal([]);
        expect(again.refusals).to.deep.equal([]);
      }),
      { numRuns: 300, seed: 20261125 },
    );
    // The generator must reach every kind of the stage list but reset's, or the property proves little.
    const resetKinds = ['reset-host', 'remove-lb-services', 'remove-volumes', 'destroy-workers'];
    expect([...kindsSeen].sort()).to.deep.equal(ACTION_KINDS.filter((k) => !resetKinds.includes(k)).sort());
  });

  it('with an unreachable worker: everything else converges, only its refusal remains', () => {
    fc.assert(
      fc.property(scenarioArb, (s) => {
        if (!s.existing || s.workers.length === 0) return;
        // The build's options: they carry the journal's facts (an interrupted helm run) the snapshot goes with.
        const { desired, snapshot, options } = build({ ...s, leftCordoned: false, workers: [{ ...s.workers[0], stage: 'joined' }, ...s.workers.slice(1)] });
        const w1 = snapshot.state.hosts.find((h) => h.name === 'w-1')!;
        for (const key of Object.keys(w1)) if (!['name', 'id', 'role', 'address', 'privateAddress'].includes(key)) delete (w1 as unknown as Record<string, unknown>)[key];
        Object.assign(w1, { reachable: false, error: { kind: 'timeout', message: 'ssh: timed out' } });
        const plan = computePlan(desired, snapshot, options);
        expect(plan.actions.filter((a) => a.hosts.includes('w-1'))).to.deep.equal([]);
        const after = applyPlan(plan, snapshot, desired);
        // --rotate-encryption-key is a one-time request: the plan after the run goes without it.
        const again = computePlan(desired, after, { ...options, rotateEncryptionKey: false });
        expect(again.actions.map((a) => a.id)).to.deep.equal([]);
        expect(again.refusals.map((r) => `${r.rule} ${r.hosts.join(',')}`)).to.deep.equal(['unreachable w-1']);
      }),
      { numRuns: 150, seed: 7 },
    );
  });

  it('reset converges to an empty reset plan', () => {
    const kindsSeen = new Set<string>();
    fc.assert(
      fc.property(scenarioArb, fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), fc.boolean(), (s, removeBinaries, removeLbServices, removeVolumes, cloudResources, destroyWorkers) => {
        const { desired, snapshot } = build({ ...s, strayWorker: false, deadReplacement: false, leftCordoned: false });
        // LoadBalancer Services and volumes that reset removes first (as the probe reads them).
        if (snapshot.state.kube && cloudResources) snapshot.state.kube.cloudResources = { loadBalancerServices: ['shop/web'], volumeClaims: ['shop/data'], dynamicVolumes: ['pvc-1'] };
        else if (snapshot.state.kube) snapshot.state.kube.cloudResources = { loadBalancerServices: [], volumeClaims: [], dynamicVolumes: [] };
        const options = { ...OPTIONS, reset: true, removeBinaries, removeLbServices, removeVolumes, destroyWorkers };
        const plan = computePlan(desired, snapshot, options);
        for (const a of plan.actions) kindsSeen.add(a.kind);
        expect(validatePlan(JSON.parse(renderPlanJson(plan))), JSON.stringify(validatePlan.errors)).to.equal(true);
        const after = applyPlan(plan, snapshot, desired, {}, opsSeen);
        expect(computePlan(desired, after, options).actions).to.deep.equal([]);
        // The worker machines go before any host is reset (they need the API), or are named.
        const destroy = plan.actions.find((a) => a.kind === 'destroy-workers');
        if (destroy) for (const a of plan.actions.filter((x) => x.kind === 'reset-host')) expect(plan.actions.indexOf(a)).to.be.greaterThan(plan.actions.indexOf(destroy));
        if (s.existing && s.machines && !destroyWorkers) expect(plan.warnings.some((w) => /cloud machines keep running/.test(w))).to.equal(true);
      }),
      { numRuns: 100, seed: 20261125 },
    );
    expect([...kindsSeen].sort()).to.deep.equal(['destroy-workers', 'remove-lb-services', 'remove-volumes', 'reset-host']);
  });

  it('together the model tests run every op of the registry', () => {
    expect(STEP_OPS.filter((op) => !opsSeen.has(op))).to.deep.equal([]);
  });
});
