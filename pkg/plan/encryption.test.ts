// The planner and encryption at rest: the phases and their order for enabling, rotating (also
// after a killed run), switching and disabling, and the refusals that keep every Secret readable.
import { expect } from 'chai';
import { initialKeyName, nextKeyName } from '../encryption/keys.js';
import { computePlan } from './index.js';
import {
  CUSTOM,
  customSummary,
  desiredCustom,
  encryptionOn,
  fileOf,
  GEN,
  generatedFile,
  STARTED,
  withEncryptionFlag,
} from './testing/encryption-facts.js';
import { clusterConfiguration, desiredState, SnapshotBuilder } from './testing/snapshot-builder.js';
import { type DesiredEncryption, desiredEncryptionPath } from '../encryption/desired.js';
import type { EncryptionFileFacts, EncryptionRewriteRecord } from '../snapshot/types.js';
import type { Plan, PlanOptions } from './types.js';

const NOW: PlanOptions = { now: '2026-11-25T00:00:00Z' };
const K1 = initialKeyName('demo');
const N = nextKeyName(K1);

interface Live {
  flag?: string;
  files?: Record<string, EncryptionFileFacts>;
  /** cp-2's files when they differ (a killed run). */
  cp2?: Record<string, EncryptionFileFacts>;
  record?: EncryptionRewriteRecord;
  unreachable?: string;
}

function plan(desiredEnc: DesiredEncryption, live: Live, options: Partial<PlanOptions> = {}): Plan {
  const want = desiredEncryptionPath(desiredEnc);
  const desired = desiredState({ version: '1.35.1', controlPlanes: ['cp-1', 'cp-2'], workers: ['w-1'], clusterConfiguration: withEncryptionFlag(clusterConfiguration(), want) });
  desired.encryption = desiredEnc;
  const b = new SnapshotBuilder();
  for (const name of ['cp-1', 'cp-2']) {
    b.convergedHost(name, 'controlPlane', { version: '1.35.1' });
    const files = name === 'cp-2' && live.cp2 ? live.cp2 : live.files;
    if (live.flag !== undefined || files) b.edit(name, (h) => encryptionOn(h, live.flag ?? '', files ?? {}));
  }
  b.convergedHost('w-1', 'staticWorker', { version: '1.35.1' });
  b.cluster({ leader: 'cp-1', clusterConfiguration: withEncryptionFlag(clusterConfiguration(), live.flag ?? '') });
  b.editKube((k) => {
    k.started = { 'kube-apiserver': { 'cp-1': STARTED, 'cp-2': STARTED } };
    if (live.record) k.encryptionRewrite = live.record;
  });
  if (live.unreachable) b.edit(live.unreachable, (h) => Object.assign(h, { reachable: false, error: { kind: 'timeout', message: 'timed out' } }));
  return computePlan(desired, b.build(), { ...NOW, ...options });
}

const ids = (p: Plan) => p.actions.map((a) => a.id);
const stepsOf = (p: Plan, id: string) => p.actions.find((a) => a.id === id)!.steps.map((s) => `${s.op}${s.host ? `@${s.host}` : ''}`);
const params = (p: Plan, id: string, op: string) => p.actions.find((a) => a.id === id)!.steps.filter((s) => s.op === op).map((s) => s.params);
const reaches = (p: Plan, from: string, to: string): boolean => {
  const a = p.actions.find((x) => x.id === from)!;
  return a.dependsOn.includes(to) || a.dependsOn.some((d) => reaches(p, d, to));
};
const GENERATED: DesiredEncryption = { mode: 'generated', path: GEN };
const recordOf = (file: EncryptionFileFacts, secrets: string): EncryptionRewriteRecord => ({ config: file.sha256, primaries: { secrets } });

describe('planner: encryption at rest', () => {
  it('enabling on a running cluster: the configuration first, then the flag on each control plane, then every Secret rewritten', () => {
    const p = plan(GENERATED, {});
    expect(p.refusals).to.deep.equal([]);
    expect(ids(p)).to.deep.equal(['enable-encryption:generated', 'reconfigure-control-plane:cp-1', 'reconfigure-control-plane:cp-2', 'rewrite-secrets:after-flags']);
    // No restart before the flag: nothing reads the file yet.
    expect(stepsOf(p, 'enable-encryption:generated')).to.deep.equal(['encryption.config.write@cp-1', 'encryption.config.write@cp-2']);
    expect(params(p, 'enable-encryption:generated', 'encryption.config.write')[0]).to.deep.equal({ path: GEN, source: 'generated', keys: [K1], generate: K1 });
    expect(reaches(p, 'reconfigure-control-plane:cp-1', 'enable-encryption:generated')).to.equal(true);
    expect(reaches(p, 'rewrite-secrets:after-flags', 'reconfigure-control-plane:cp-2')).to.equal(true);
    expect(params(p, 'rewrite-secrets:after-flags', 'encryption.secrets.rewrite')).to.deep.equal([{ path: GEN, primaries: { secrets: `aescbc:${K1}` } }]);
  });

  it('a converged encrypted cluster plans nothing; without the record of a rewrite, every Secret is rewritten once', () => {
    const file = generatedFile([K1]);
    expect(ids(plan(GENERATED, { flag: GEN, files: { [GEN]: file }, record: recordOf(file, `aescbc:${K1}`) }))).to.deep.equal([]);
    expect(ids(plan(GENERATED, { flag: GEN, files: { [GEN]: file } }))).to.deep.equal(['rewrite-secrets:current']);
  });

  it('--rotate-encryption-key: new key secondary, restarts, primary, restarts, rewrite, old key dropped; the apiservers restart one at a time, leader first', () => {
    const file = generatedFile([K1]);
    const p = plan(GENERATED, { flag: GEN, files: { [GEN]: file }, record: recordOf(file, `aescbc:${K1}`) }, { rotateEncryptionKey: true });
    expect(p.refusals).to.deep.equal([]);
    expect(ids(p)).to.deep.equal([`add-encryption-key:${N}`, `promote-encryption-key:${N}`, 'rewrite-secrets:current', `drop-encryption-key:${K1}`]);
    expect(stepsOf(p, `add-encryption-key:${N}`)).to.deep.equal(['encryption.config.write@cp-1', 'encryption.config.write@cp-2', 'controlplane.restart@cp-1', 'controlplane.restart@cp-2']);
    expect(params(p, `add-encryption-key:${N}`, 'encryption.config.write')[0]).to.deep.equal({ path: GEN, source: 'generated', keys: [K1, N], generate: N });
    expect(params(p, `promote-encryption-key:${N}`, 'encryption.config.write')[0]).to.deep.equal({ path: GEN, source: 'generated', keys: [N, K1] });
    expect(params(p, `drop-encryption-key:${K1}`, 'encryption.config.write')[0]).to.deep.equal({ path: GEN, source: 'generated', keys: [N] });
    // The drop moves the record of the rewrite to the new file (nothing to rewrite again).
    expect(params(p, `drop-encryption-key:${K1}`, 'encryption.secrets.rewrite')).to.deep.equal([{ path: GEN, primaries: { secrets: `aescbc:${N}` }, carry: true }]);
    for (let i = 1; i < p.actions.length; i++) expect(reaches(p, p.actions[i]!.id, p.actions[i - 1]!.id), p.actions[i]!.id).to.equal(true);
    expect(p.actions.every((a) => a.serial)).to.equal(true);
  });

  it('a rotation killed after its first phase reached one control plane is finished without the flag, from what the files show', () => {
    const p = plan(GENERATED, { flag: GEN, files: { [GEN]: generatedFile([K1, N]) }, cp2: { [GEN]: generatedFile([K1]) }, record: recordOf(generatedFile([K1]), `aescbc:${K1}`) });
    expect(p.refusals).to.deep.equal([]);
    expect(ids(p)).to.deep.equal([`add-encryption-key:${N}`, `promote-encryption-key:${N}`, 'rewrite-secrets:current', `drop-encryption-key:${K1}`]);
    // cp-1 has the file already: only cp-2 is written in the first phase, both restart (cp-1's apiserver started before its file changed? no: only cp-2).
    expect(stepsOf(p, `add-encryption-key:${N}`)).to.deep.equal(['encryption.config.write@cp-2', 'controlplane.restart@cp-2']);
    // With the flag again, no second rotation starts: the first one is finished.
    expect(ids(plan(GENERATED, { flag: GEN, files: { [GEN]: generatedFile([K1, N]) }, cp2: { [GEN]: generatedFile([K1]) } }, { rotateEncryptionKey: true }))).to.deep.equal(ids(p));
  });

  it('killed after the promotion: rewrite, then the old key goes; killed after the drop on one control plane: the drop is finished', () => {
    const promoted = plan(GENERATED, { flag: GEN, files: { [GEN]: generatedFile([N, K1]) }, record: recordOf(generatedFile([K1]), `aescbc:${K1}`) });
    expect(ids(promoted)).to.deep.equal(['rewrite-secrets:current', `drop-encryption-key:${K1}`]);
    const dropping = plan(GENERATED, { flag: GEN, files: { [GEN]: generatedFile([N]) }, cp2: { [GEN]: generatedFile([N, K1]) }, record: recordOf(generatedFile([N, K1]), `aescbc:${N}`) });
    expect(ids(dropping)).to.deep.equal(['drop-encryption-key:completed']);
    expect(stepsOf(dropping, 'drop-encryption-key:completed')).to.deep.equal(['encryption.config.write@cp-2', 'controlplane.restart@cp-2', 'encryption.secrets.rewrite']);
  });

  it('disabling: identity first everywhere, rewrite in clear, then the flag goes, then the file', () => {
    const file = generatedFile([K1]);
    const p = plan({ mode: 'off' }, { flag: GEN, files: { [GEN]: file }, record: recordOf(file, `aescbc:${K1}`) });
    expect(p.refusals).to.deep.equal([]);
    expect(ids(p)).to.deep.equal(['disable-encryption:identity-first', 'rewrite-secrets:current', 'reconfigure-control-plane:cp-1', 'reconfigure-control-plane:cp-2', 'remove-encryption-config:encryption-providers.yaml']);
    expect(params(p, 'disable-encryption:identity-first', 'encryption.config.write')[0]).to.deep.equal({ path: GEN, source: 'generated', keys: [K1], identityFirst: true });
    expect(params(p, 'rewrite-secrets:current', 'encryption.secrets.rewrite')).to.deep.equal([{ path: GEN, primaries: { secrets: 'identity' } }]);
    expect(reaches(p, 'reconfigure-control-plane:cp-1', 'rewrite-secrets:current')).to.equal(true);
    expect(reaches(p, 'remove-encryption-config:encryption-providers.yaml', 'reconfigure-control-plane:cp-2')).to.equal(true);
  });

  it('after a disable killed between the flag and the file: the leftover goes only when the record proves the Secrets are in clear', () => {
    const leftover = generatedFile([K1], true);
    expect(ids(plan({ mode: 'off' }, { flag: '', files: { [GEN]: leftover }, record: recordOf(leftover, 'identity') }))).to.deep.equal(['remove-encryption-config:encryption-providers.yaml']);
    const kept = plan({ mode: 'off' }, { flag: '', files: { [GEN]: leftover } });
    expect(ids(kept)).to.deep.equal([]);
    expect(kept.warnings.join('\n')).to.match(/encryption-providers\.yaml .*kept, since Secrets may still be encrypted/);
  });

  it('a manifest silent about encryption leaves the live configuration alone (its flag is kept by the ownership rule)', () => {
    const file = generatedFile([K1]);
    const live: Live = { flag: GEN, files: { [GEN]: file } };
    const p = plan({ mode: 'unmanaged' }, live);
    // The helper renders no flag for 'unmanaged'; computeDesired keeps the live one: no encryption phase either way.
    expect(ids(p).filter((id) => /encryption|rewrite-secrets/.test(id))).to.deep.equal([]);
    expect(p.refusals).to.deep.equal([]);
    const rotate = plan({ mode: 'unmanaged' }, live, { rotateEncryptionKey: true });
    expect(rotate.refusals.find((r) => r.rule === 'encryption')!.message).to.match(/features\.encryptionProviders\.enable is not set in the manifest/);
  });

  it('a disable killed between identity first on one control plane and the other is finished the way it began; re-enabling then promotes the key again', () => {
    const key = generatedFile([K1]);
    const identity = generatedFile([K1], true);
    // Killed halfway through identity first, the manifest still says off: finish it, then rewrite in clear.
    const off = plan({ mode: 'off' }, { flag: GEN, files: { [GEN]: identity }, cp2: { [GEN]: key } });
    expect(ids(off).slice(0, 2)).to.deep.equal(['disable-encryption:identity-first', 'rewrite-secrets:current']);
    // The manifest turned encryption back on meanwhile: the key becomes primary again everywhere, before any rewrite, with the id a fresh plan gives it.
    const back = plan(GENERATED, { flag: GEN, files: { [GEN]: identity }, cp2: { [GEN]: key } });
    expect(back.refusals).to.deep.equal([]);
    expect(ids(back)).to.deep.equal([`promote-encryption-key:${K1}`, 'rewrite-secrets:current']);
    expect(reaches(back, 'rewrite-secrets:current', `promote-encryption-key:${K1}`)).to.equal(true);
    expect(ids(plan(GENERATED, { flag: GEN, files: { [GEN]: identity } }))).to.deep.equal(ids(back));
  });

  describe('refusals: a plan never removes a configuration, or a key, the live apiservers use while Secrets may be encrypted with it', () => {
    const expectRefused = (p: Plan, re: RegExp) => {
      expect(p.refusals.map((r) => r.rule)).to.include('encryption');
      expect(p.refusals.find((r) => r.rule === 'encryption')!.message).to.match(re);
      expect(p.actions.filter((a) => a.kind !== 'reconfigure-control-plane' && a.kind.includes('encryption'))).to.deep.equal([]);
    };

    it('a custom configuration that drops the primary key of the live one', () => {
      const live = fileOf(customSummary('old-key'));
      const p = plan(desiredCustom(customSummary('new-key')), { flag: CUSTOM, files: { [CUSTOM]: live }, record: recordOf(live, 'aesgcm:old-key') });
      expectRefused(p, /drops aesgcm:old-key \(secrets\), which the live apiservers use while Secrets may still be encrypted with it/);
      expect(p.refusals[0]!.hint).to.match(/secondary provider/);
    });

    it('a custom configuration may drop a secondary key once the record says every Secret has the primary; not before', () => {
      const two = { resources: [{ resources: ['secrets'], providers: [{ type: 'aesgcm' as const, keys: [{ name: 'a', fingerprint: '00000000000000aa' }, { name: 'b', fingerprint: '00000000000000bb' }] }, { type: 'identity' as const }] }] };
      const one = { resources: [{ resources: ['secrets'], providers: [{ type: 'aesgcm' as const, keys: [{ name: 'a', fingerprint: '00000000000000aa' }] }, { type: 'identity' as const }] }] };
      const live = fileOf(two);
      const allowed = plan(desiredCustom(one), { flag: CUSTOM, files: { [CUSTOM]: live }, record: recordOf(live, 'aesgcm:a') });
      expect(allowed.refusals).to.deep.equal([]);
      expect(ids(allowed)).to.deep.equal(['update-encryption-config:custom', 'rewrite-secrets:current']);
      expectRefused(plan(desiredCustom(one), { flag: CUSTOM, files: { [CUSTOM]: live } }), /drops aesgcm:b \(secrets\)/);
    });

    it('switching from the generated configuration to a custom one without its key; the flag change is blocked with it', () => {
      const file = generatedFile([K1]);
      const p = plan(desiredCustom(), { flag: GEN, files: { [GEN]: file }, record: recordOf(file, `aescbc:${K1}`) });
      expectRefused(p, new RegExp(`drops aescbc:${K1} \\(secrets\\)`));
      expect(p.actions.filter((a) => a.kind === 'reconfigure-control-plane')).to.deep.equal([]);
      expect(p.refusals.filter((r) => r.rule === 'blocked').map((r) => r.message)).to.have.length(2);
    });

    it('a custom configuration that cannot read the Secrets stored in clear (no identity provider)', () => {
      expectRefused(plan(desiredCustom(customSummary('k', false)), {}), /cannot read the objects stored in clear today \(identity \(secrets\) is missing\)/);
    });

    it('an encryption configuration this tool does not manage: its flag is never removed', () => {
      const p = plan({ mode: 'off' }, { flag: '/etc/secret/enc.yaml' });
      expectRefused(p, /reads its encryption configuration from \/etc\/secret\/enc\.yaml, a file this tool does not manage/);
      expect(p.actions.filter((a) => a.kind === 'reconfigure-control-plane')).to.deep.equal([]);
    });

    it('the custom configuration the probe could not read', () => {
      expectRefused(plan({ mode: 'off' }, { flag: CUSTOM, files: { [CUSTOM]: fileOf(null, 'f'.repeat(64)) } }), /holds something the probe does not read/);
    });

    it('a control plane that cannot be reached while the configuration must change', () => {
      const file = generatedFile([K1]);
      const p = plan(GENERATED, { flag: GEN, files: { [GEN]: file }, record: recordOf(file, `aescbc:${K1}`), unreachable: 'cp-2' }, { rotateEncryptionKey: true });
      expect(p.refusals.map((r) => r.rule)).to.include('unreachable');
      expect(p.refusals.find((r) => r.message.includes('encryption'))!.message).to.match(/cannot change while cp-2 cannot be reached/);
      expect(ids(p).filter((id) => id.includes('encryption'))).to.deep.equal([]);
    });

    it('turning encryption on or off in the same run as a control-plane upgrade (the upgrade would render the new flag first)', () => {
      const file = generatedFile([K1]);
      expectRefused(plan(GENERATED, {}, { forceUpgrade: true }), /--encryption-provider-config would change \(none -> .*encryption-providers\.yaml\) in the same run as a control-plane upgrade/);
      expectRefused(plan({ mode: 'off' }, { flag: GEN, files: { [GEN]: file }, record: recordOf(file, `aescbc:${K1}`) }, { forceUpgrade: true }), /would change \(.*encryption-providers\.yaml -> none\)/);
      // Unchanged: the upgrade goes on with it.
      expect(plan(GENERATED, { flag: GEN, files: { [GEN]: file }, record: recordOf(file, `aescbc:${K1}`) }, { forceUpgrade: true }).refusals).to.deep.equal([]);
    });

    it('--rotate-encryption-key as KubeOne: refused with a custom configuration, or when encryption is not on yet', () => {
      const custom = desiredCustom();
      const live = fileOf(customSummary(), (custom as { sha256: string }).sha256);
      expectRefused(plan(custom, { flag: CUSTOM, files: { [CUSTOM]: live }, record: recordOf(live, 'aesgcm:custom-key') }, { rotateEncryptionKey: true }), /rotates the generated configuration; this cluster uses customEncryptionConfiguration/);
      expectRefused(plan(GENERATED, {}, { rotateEncryptionKey: true }), /encryption is not enabled in the cluster yet/);
    });
  });
});
