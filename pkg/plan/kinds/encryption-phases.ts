// Encryption at rest: from the control planes' configurations (as the probe reads them, without
// key material), the rewrite record and the manifest, the phases that lead to the manifest's
// configuration without ever making a Secret unreadable. Computed once per plan; each phase is
// an action of its own kind (enable-encryption, add-, promote-, drop-encryption-key,
// update-encryption-config, disable-encryption, rewrite-secrets, remove-encryption-config), so
// a run killed anywhere is resumed from what the hosts show.
//
// The rule every phase keeps: a provider that may still hold data stays readable by every
// apiserver. What may hold data: the primary of the configuration the last complete rewrite
// ran under (kube-system/kubeone-encryption, when the live configuration is that one), else
// every provider of the live configuration. Keys are added as secondary before they become
// primary (every apiserver can read what any of them writes), an old key is dropped only after
// a rewrite under the new primary, and encryption is switched off by writing identity first,
// rewriting, and only then removing the flag and the file. What cannot be done that way is
// refused (rule `encryption`), and so is everything that would change the flag.
import {
  CUSTOM_CONFIG_PATH,
  ENCRYPTION_CONFIG_PATHS,
  type EncryptionSummary,
  entryFor,
  GENERATED_CONFIG_PATH,
  generatedView,
  type KeySummary,
  primaryOf,
  providerKeys,
  REWRITABLE_RESOURCES,
} from '../../encryption/config.js';
import { desiredEncryptionPath } from '../../encryption/desired.js';
import { initialKeyName, nextKeyName } from '../../encryption/keys.js';
import { changedSinceStart } from '../../kubeadm/control-plane-files.js';
import type { EncryptionWriteParams } from '../../ops/encryption-config-write.js';
import type { EncryptionFileFacts, EncryptionRewriteRecord } from '../../snapshot/types.js';
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import { type ActionDraft, type ActionKindModule, EVERY_CONVERGE_MODE, type KindDeclaration } from '../kind.js';
import type { ChangeSymbol, Refusal, Step } from '../types.js';
import { encryptionFlagOf } from './control-plane-inputs.js';
import { nodeNameOf, step } from './steps.js';
import { initIds } from './init-control-plane.js';
import { finalControlPlaneUpgrade } from './upgrade.js';

export type EncryptionKind =
  | 'enable-encryption'
  | 'update-encryption-config'
  | 'add-encryption-key'
  | 'promote-encryption-key'
  | 'disable-encryption'
  | 'rewrite-secrets'
  | 'drop-encryption-key'
  | 'remove-encryption-config';

export interface Phase {
  kind: EncryptionKind;
  id: string;
  title: string;
  reason: string;
  hosts: string[];
  steps: Step[];
  /** After the apiservers' --encryption-provider-config changed (reconfigure-control-plane). */
  afterFlags: boolean;
}

export interface EncryptionAnalysis {
  phases: Phase[];
  refusal?: Refusal & { rule: 'encryption' | 'unreachable' };
}

/** Blocked when the encryption is refused: the flag change (reconfigure-control-plane) waits for it. */
export const GUARD_ID = 'enable-encryption:refused';

/** A control plane as the phases see it. A joining one has the leader's file (copied at its join) and loads it at start. */
interface Cp {
  name: string;
  node: string;
  flag: string;
  files: Record<string, EncryptionFileFacts>;
  joining: boolean;
  loaded(path: string): boolean;
}

interface View {
  keys: KeySummary[];
  identityFirst: boolean;
}

const names = (v: View): string[] => v.keys.map((k) => k.name);
const sameView = (a: View, b: View): boolean => a.identityFirst === b.identityFirst && names(a).join(',') === names(b).join(',');
const describeView = (v: View): string => `${v.identityFirst ? 'identity, ' : ''}aescbc [${names(v).join(', ')}]${v.identityFirst ? '' : ', identity'}`;

class Refused extends Error {
  constructor(
    readonly refusal: Refusal & { rule: 'encryption' | 'unreachable' },
  ) {
    super(refusal.message);
  }
}

function refuse(message: string, hint: string, hosts: string[] = []): never {
  throw new Refused({ rule: 'encryption', hosts, message, hint });
}

const memo = new WeakMap<PlanContext, EncryptionAnalysis>();

export function encryptionAnalysis(ctx: PlanContext): EncryptionAnalysis {
  let a = memo.get(ctx);
  if (!a) {
    try {
      a = { phases: analyze(ctx) };
    } catch (e) {
      if (!(e instanceof Refused)) throw e;
      a = { phases: [], refusal: e.refusal };
    }
    memo.set(ctx, a);
  }
  return a;
}

function analyze(ctx: PlanContext): Phase[] {
  const rotate = ctx.options.rotateEncryptionKey === true;
  if (ctx.mode === 'create') {
    if (rotate) refuse('cannot rotate the encryption key: the cluster does not exist yet', 'apply without --rotate-encryption-key');
    const d = ctx.desired.encryption ?? { mode: 'unmanaged' };
    if (d.mode === 'off' || d.mode === 'unmanaged') return [];
    // The control planes start with the configuration (their init and joins write it): recorded once they all run.
    const summary = d.mode === 'custom' ? d.summary : { resources: [{ resources: ['secrets'], providers: [{ type: 'aescbc' as const, keys: [{ name: initialKeyName(ctx.desired.cluster.cluster.name ?? ''), fingerprint: '' }] }] }] };
    return [
      {
        kind: 'rewrite-secrets',
        id: 'rewrite-secrets:after-flags',
        title: 'record that every Secret is encrypted',
        reason: 'a new cluster with features.encryptionProviders: every apiserver encrypted from its start',
        hosts: [],
        steps: [step('encryption.secrets.rewrite', undefined, 'rewrite every object (all written encrypted already) and record the configuration', { path: d.path, primaries: primariesOf(summary) })],
        afterFlags: true,
      },
    ];
  }
  if (ctx.mode !== 'reconcile') {
    if (rotate && ctx.mode !== 'reset') refuse('cannot rotate the encryption key: the cluster is not healthy (no control plane answers, or etcd has no quorum)', 'repair the cluster with `kubeone apply` first, then rotate');
    return [];
  }
  if ((ctx.desired.encryption ?? { mode: 'unmanaged' }).mode === 'unmanaged') {
    // Not in the manifest: the cluster's encryption, if any, is left as it is (its flag is kept).
    if (rotate) refuse('cannot rotate the encryption key: features.encryptionProviders.enable is not set in the manifest', 'set features.encryptionProviders.enable: true (as the cluster has it), then rotate');
    return [];
  }
  return new Planner(ctx).phases();
}

/** Per rewritable resource the configuration names (secrets always), its primary provider (`aescbc:<key>`). */
function primariesOf(summary: EncryptionSummary): Record<string, string> {
  const out: Record<string, string> = {};
  for (const r of REWRITABLE_RESOURCES) {
    const entry = entryFor(summary, r);
    if (entry || r === 'secrets') out[r] = primaryOf(entry ?? [{ type: 'identity' }]).split('@')[0]!;
  }
  return out;
}

class Planner {
  private readonly out: Phase[] = [];
  private readonly cps: Cp[];
  private readonly unreachable: HostView[];
  private readonly record: EncryptionRewriteRecord | null;
  private readonly configFlag: string;
  private readonly desired: NonNullable<PlanContext['desired']['encryption']>;

  constructor(private readonly ctx: PlanContext) {
    this.desired = ctx.desired.encryption ?? { mode: 'unmanaged' };
    this.record = ctx.kube?.encryptionRewrite ?? null;
    this.configFlag = encryptionFlagOf(ctx.kube?.clusterConfiguration);
    const staying = ctx.controlPlanes.filter((h) => ctx.staying.includes(h));
    this.unreachable = staying.filter((h) => !h.reachable);
    const leader = ctx.leader!;
    const started = ctx.kube?.started?.['kube-apiserver'] ?? {};
    this.cps = [leader, ...staying.filter((h) => h !== leader)]
      .filter((h) => h.reachable && staying.includes(h))
      .map((h) => ({
        name: h.name,
        node: nodeNameOf(h),
        flag: h.facts?.encryption?.flag ?? '',
        files: h.facts?.encryption?.files ?? {},
        joining: false,
        loaded: (path: string) => changedSinceStart(h.facts?.inputsModified, started[h.name], 'kube-apiserver', [path]).length === 0,
      }));
    const leaderFiles = leader.facts?.encryption?.files ?? {};
    for (const h of ctx.controlPlanes.filter((x) => ctx.joining.has(x.name))) {
      this.cps.push({ name: h.name, node: nodeNameOf(h), flag: this.configFlag, files: structuredClone(leaderFiles), joining: true, loaded: () => true });
    }
  }

  private get staying(): Cp[] {
    return this.cps.filter((c) => !c.joining);
  }

  phases(): Phase[] {
    const flags = new Set(this.staying.map((c) => c.flag).filter(Boolean));
    for (const f of flags) {
      if (!(ENCRYPTION_CONFIG_PATHS as readonly string[]).includes(f)) {
        refuse(
          `the apiserver on ${this.staying.filter((c) => c.flag === f).map((c) => c.name).join(', ')} reads its encryption configuration from ${f}, a file this tool does not manage: changing the apiserver flags could make Secrets unreadable`,
          `move the configuration into features.encryptionProviders.customEncryptionConfiguration, or keep managing it by hand with controlPlaneComponents.apiServer.flags`,
          this.staying.filter((c) => c.flag === f).map((c) => c.name),
        );
      }
    }
    const want = desiredEncryptionPath(this.desired);
    if (want !== this.configFlag && this.ctx.b.planned('upgrade-control-plane').length > 0) {
      // The upgrade stores and renders the new flag before any phase could run: an apiserver
      // would start with a file not written yet, or stop reading Secrets still encrypted.
      refuse(
        `the apiservers' --encryption-provider-config would change (${this.configFlag || 'none'} -> ${want || 'none'}) in the same run as a control-plane upgrade, which renders the new flag before the encryption configuration is ready`,
        'apply the upgrade with features.encryptionProviders as the cluster has it now, then change encryption in an apply of its own',
        this.staying.map((c) => c.name),
      );
    }
    if (flags.size > 1 && !(flags.size === 2 && flags.has(want))) {
      refuse(
        `the control planes read different encryption configurations (${this.staying.map((c) => `${c.name}: ${c.flag || 'none'}`).join(', ')}) and none is the manifest's`,
        'make every control plane use the same --encryption-provider-config, then plan again',
        this.staying.map((c) => c.name),
      );
    }
    // The path the apiservers use now: the manifest's when some already do (a change in progress), else the old one.
    const live = flags.has(want) ? want : ([...flags][0] ?? '');
    if (want !== '' && live === want && this.staying.some((c) => c.flag !== want) && this.configFlag !== want) {
      refuse(
        `some apiservers read ${want} (${this.staying.filter((c) => c.flag === want).map((c) => c.name).join(', ')}) and others none, while the cluster's ClusterConfiguration has no --encryption-provider-config: Secrets may be written in clear by some and encrypted by others`,
        'make the control planes agree (kubeadm upgrade node on each, or the flag on all by hand), then plan again',
        this.staying.map((c) => c.name),
      );
    }
    if (want !== '') {
      this.pendingPath = want;
      this.pending = this.stragglers(want);
    }
    if (this.desired.mode === 'off') this.toOff(live);
    else if (this.desired.mode === 'generated') this.toGenerated(live);
    else this.toCustom(live);
    const rest = this.takeStragglers();
    if (rest.length > 0) {
      // No phase wrote the file: the re-render alone, before anything else of the plan.
      this.out.unshift({ kind: 'enable-encryption', id: 'enable-encryption:flags', title: `give ${[...new Set(rest.map((s) => s.host))].join(', ')} the cluster's --encryption-provider-config`, reason: `their static pods were not re-rendered when the flag changed to ${want} (an interrupted run)`, hosts: [...new Set(rest.map((s) => s.host!))], steps: rest, afterFlags: false });
    }
    if (this.out.length > 0 && this.unreachable.length > 0) {
      throw new Refused({
        rule: 'unreachable',
        hosts: this.unreachable.map((h) => h.name),
        message: `the encryption configuration cannot change while ${this.unreachable.map((h) => h.name).join(', ')} cannot be reached: every apiserver must read the same keys`,
        hint: 'restore SSH access to every control plane, then plan again',
      });
    }
    return this.out;
  }

  // ---- the live state ---------------------------------------------------------------------

  private view(c: Cp): View | null | 'foreign' {
    const file = c.files[GENERATED_CONFIG_PATH];
    if (!file) return null;
    return (file.summary && generatedView(file.summary)) || 'foreign';
  }

  /** The sha256 of the file at `path`, when it is the same on every staying control plane. */
  private liveSha(path: string): string | undefined {
    const shas = new Set(this.staying.map((c) => c.files[path]?.sha256 ?? ''));
    return shas.size === 1 && !shas.has('') ? [...shas][0] : undefined;
  }

  private summaryAt(path: string): EncryptionSummary {
    const shas = new Set(this.staying.map((c) => c.files[path]?.sha256));
    const file = this.staying.map((c) => c.files[path]).find((f) => f !== undefined);
    if (shas.size !== 1 || !file) refuse(`the control planes have different ${path} (${this.staying.map((c) => `${c.name}: ${c.files[path]?.sha256.slice(0, 12) ?? 'none'}`).join(', ')})`, `copy one control plane's ${path} to the others, then plan again`);
    if (!file.summary) refuse(`${path} on the control planes holds something the probe does not read (only block-style YAML of providers, key names and secrets is read)`, `write the same configuration in block style, or remove it by hand once no Secret needs it`);
    return file.summary;
  }

  private summaryOrEmpty(path: string): EncryptionSummary {
    return this.staying.map((c) => c.files[path]?.summary).find((x) => x) ?? { resources: [] };
  }

  /** Per rewritable resource, the providers that may still hold data under the live configuration. */
  private mayHoldData(summary: EncryptionSummary, sha: string | undefined): Map<string, string[]> {
    const out = new Map<string, string[]>();
    for (const r of REWRITABLE_RESOURCES) {
      const providers = entryFor(summary, r) ?? [{ type: 'identity' }];
      const all = providers.flatMap(providerKeys);
      const recorded = this.record && sha !== undefined && this.record.config === sha ? this.record.primaries[r] : undefined;
      const match = recorded ? all.filter((p) => p === recorded || p.startsWith(`${recorded}@`)) : [];
      out.set(r, match.length > 0 ? match : all);
    }
    return out;
  }

  /** The providers of the live configuration that a new one lacks while they may hold data. */
  private dropped(live: EncryptionSummary, sha: string | undefined, next: EncryptionSummary): string[] {
    const out: string[] = [];
    for (const [r, need] of this.mayHoldData(live, sha)) {
      const has = (entryFor(next, r) ?? [{ type: 'identity' }]).flatMap(providerKeys);
      for (const p of need) if (!has.includes(p)) out.push(`${p.split('@')[0]} (${r})`);
    }
    return [...new Set(out)];
  }

  // ---- phases -------------------------------------------------------------------------------

  /**
   * Writes `target` where it differs (every control plane once an earlier phase of this plan
   * changed the file) and restarts, one at a time, the apiservers that read `path` and did not
   * load its current content.
   */
  private transition(kind: EncryptionKind, id: string, title: string, reason: string, target: EncryptionWriteParams, matches: (c: Cp) => boolean, describe: string): boolean {
    const first = this.out.every((p) => p.kind === 'rewrite-secrets');
    const writes: Step[] = [];
    const restarts: Step[] = [];
    // Control planes whose re-render was interrupted get the flag right after the file: that restarts them too.
    const rerender = target.path === this.pendingPath ? this.takeStragglers() : [];
    for (const c of this.cps) {
      const write = !first || !matches(c);
      if (write) writes.push(step('encryption.config.write', c.name, `write ${describe} to ${target.path} on ${c.name}`, target, c.name));
      if (c.flag === target.path && (write || !c.loaded(target.path))) restarts.push(this.restart(c));
    }
    if (writes.length + restarts.length + rerender.length === 0) return false;
    this.out.push({ kind, id, title, reason, hosts: this.cps.map((c) => c.name), steps: [...writes, ...rerender, ...restarts, ...this.carry(kind, target)], afterFlags: false });
    return true;
  }

  /**
   * After a generated key is dropped, the record of the rewrite (under the configuration that
   * still had it) moves to the new file: no object uses the dropped key, and generated keys are
   * never primary twice. Without it the next plan would rewrite everything again.
   */
  private carry(kind: EncryptionKind, target: EncryptionWriteParams): Step[] {
    if (kind !== 'drop-encryption-key' || target.path !== GENERATED_CONFIG_PATH || target.identityFirst) return [];
    const primaries = { secrets: `aescbc:${target.keys![0]}` };
    const rewritten = this.out.some((p) => p.kind === 'rewrite-secrets' && p.steps.some((s) => s.op === 'encryption.secrets.rewrite' && s.params.primaries.secrets === primaries.secrets));
    if (!rewritten && this.record?.primaries.secrets !== primaries.secrets) return [];
    return [step('encryption.secrets.rewrite', undefined, `record that every Secret is still stored with ${target.keys![0]} under the new configuration (nothing to rewrite)`, { path: target.path, primaries, carry: true }, 'record')];
  }

  private restart(c: Cp): Step {
    return step('controlplane.restart', c.name, `restart the kube-apiserver on ${c.name} so that it reads the new configuration`, { component: 'kube-apiserver', node: c.node }, c.name);
  }

  /**
   * Control planes whose static pods do not have the cluster's --encryption-provider-config
   * (`path`) yet: their re-render was interrupted, and the ClusterConfiguration already has the
   * flag, so reconfigure-control-plane would not redo it.
   */
  private stragglers(path: string): Step[] {
    if (this.configFlag !== path) return [];
    return this.staying
      .filter((c) => c.flag !== path)
      .flatMap((c) => [
        step('kubeadm.config.render', c.name, `render the kubeadm configuration for ${c.name}`, undefined, c.name),
        step('kubeadm.upgrade.node', c.name, `re-render the static pods of ${c.name} (--encryption-provider-config ${path || 'removed'})`, { version: this.ctx.version, reconfigure: true }, c.name),
      ]);
  }

  /** The manifest's path, while some control planes' re-render to it is still to be done. */
  private pendingPath = '';
  private pending: Step[] = [];

  private takeStragglers(): Step[] {
    const out = this.pending;
    this.pending = [];
    return out;
  }

  /**
   * Rewrites every Secret under the configuration at `path` (after the phases of this plan),
   * unless nothing changed and the record already says it was done under the live file.
   */
  private rewrite(path: string, summary: EncryptionSummary, why: string, afterFlags: boolean, extra: Step[] = []): void {
    const primaries = primariesOf(summary);
    // After the phases so far, is a rewrite recorded under the final file? The last phase says:
    // a rewrite, or a drop that carries the record over; none at all: the snapshot's record.
    const last = this.out.at(-1);
    const sha = this.liveSha(path);
    const changed = last !== undefined || extra.length > 0;
    const done = last
      ? extra.length === 0 && last.steps.some((s) => s.op === 'encryption.secrets.rewrite')
      : extra.length === 0 && this.record !== null && sha !== undefined && this.record.config === sha && JSON.stringify(this.record.primaries) === JSON.stringify(Object.fromEntries(Object.entries(primaries).sort()));
    if (done) return;
    const label = Object.entries(primaries).map(([r, p]) => `${r} ${p}`).join(', ');
    this.out.push({
      kind: 'rewrite-secrets',
      id: `rewrite-secrets:${afterFlags ? 'after-flags' : this.out.filter((p) => p.kind === 'rewrite-secrets').length === 0 ? 'current' : 'again'}`,
      title: `rewrite every ${Object.keys(primaries).join(' and ')} object with ${Object.values(primaries).join(', ')}`,
      reason: changed ? why : `${why}; no complete rewrite is recorded under the configuration the apiservers use (kube-system/kubeone-encryption)`,
      hosts: [],
      steps: [...extra, step('encryption.secrets.rewrite', undefined, `rewrite every object so that it is stored with ${label}, then record it`, { path, primaries })],
      afterFlags,
    });
  }

  private removeFiles(paths: string[], reason: string, extra: Step[] = []): void {
    const steps = [...extra];
    for (const c of this.cps) for (const p of paths) if (c.files[p]) steps.push(step('encryption.config.remove', c.name, `remove ${p} from ${c.name}`, { path: p }, `${c.name}:${p}`));
    if (steps.length === 0) return;
    this.out.push({ kind: 'remove-encryption-config', id: `remove-encryption-config:${paths.map((p) => p.split('/').pop()).join(',')}`, title: `remove ${paths.join(' and ')} from the control planes`, reason, hosts: this.cps.map((c) => c.name), steps, afterFlags: true });
  }

  // ---- toward the manifest -----------------------------------------------------------------

  private toOff(live: string): void {
    if (live === '') {
      // Leftovers of a disable interrupted after its flag change: removed once the record proves every object is in clear.
      for (const path of ENCRYPTION_CONFIG_PATHS) {
        if (!this.staying.some((c) => c.files[path])) continue;
        const sha = this.liveSha(path);
        const clear = this.record !== null && sha !== undefined && this.record.config === sha && Object.values(this.record.primaries).every((p) => p === 'identity');
        if (clear) this.removeFiles([path], `encryption is off and every Secret was rewritten in clear under ${path} (kube-system/kubeone-encryption)`);
        else this.ctx.b.warn(`${path} is on control planes whose apiservers no longer use it; it is kept, since Secrets may still be encrypted with its keys`);
      }
      return;
    }
    const gen = live === GENERATED_CONFIG_PATH;
    if (gen) {
      const union: KeySummary[] = [];
      for (const c of this.staying) {
        const v = this.view(c);
        if (v === 'foreign') refuse(`${GENERATED_CONFIG_PATH} on ${c.name} is not the configuration this tool generates`, 'restore it, or write it as customEncryptionConfiguration');
        for (const k of v?.keys ?? []) if (!union.some((u) => u.name === k.name)) union.push(k);
      }
      if (union.length === 0) refuse(`the apiservers read ${GENERATED_CONFIG_PATH}, which is on no control plane`, 'restore the file from a backup of a control plane');
      const target: View = { keys: union, identityFirst: true };
      this.transition('disable-encryption', 'disable-encryption:identity-first', 'write identity first in the encryption configuration on every control plane', `features.encryptionProviders.enable is false: new writes go out in clear, every key still reads (${describeView(target)})`, { path: live, source: 'generated', keys: names(target), identityFirst: true }, (c) => { const v = this.view(c); return v !== null && v !== 'foreign' && sameView(v, target); }, describeView(target));
    } else {
      this.summaryAt(live);
      this.transition('disable-encryption', 'disable-encryption:identity-first', 'write identity first in the custom encryption configuration on every control plane', 'features.encryptionProviders.enable is false: new writes go out in clear, every provider still reads', { path: live, source: 'identity-first' }, (c) => Boolean(c.files[live]?.summary?.resources.every((r) => r.providers[0]?.type === 'identity')), 'identity first');
    }
    const named = new Set(['secrets', ...this.summaryOrEmpty(live).resources.flatMap((r) => r.resources)]);
    const clear: EncryptionSummary = { resources: [{ resources: REWRITABLE_RESOURCES.filter((r) => named.has(r)), providers: [{ type: 'identity' }] }] };
    this.rewrite(live, clear, 'every Secret is written in clear before the encryption configuration goes', false);
    this.removeFiles(ENCRYPTION_CONFIG_PATHS.filter((p) => this.cps.some((c) => c.files[p]) || p === live), 'the apiservers no longer read it and every Secret is in clear', this.stragglers(''));
  }

  private toGenerated(live: string): void {
    if (live === '' || live === CUSTOM_CONFIG_PATH) {
      if (this.ctx.options.rotateEncryptionKey) refuse('cannot rotate the encryption key: encryption is not enabled in the cluster yet', 'apply without --rotate-encryption-key first');
      if (live === CUSTOM_CONFIG_PATH) {
        const summary = this.summaryAt(live);
        const lost = this.dropped(summary, this.liveSha(live), { resources: [{ resources: ['secrets'], providers: [{ type: 'identity' }] }] });
        if (lost.length > 0) {
          refuse(
            `switching from customEncryptionConfiguration to the generated configuration would drop ${lost.join(', ')}, which the live apiservers use while Secrets may still be encrypted with it`,
            'first put `- identity: {}` first in customEncryptionConfiguration and apply (every Secret is rewritten in clear), then remove customEncryptionConfiguration and apply again',
          );
        }
      }
      const existing = this.staying.map((c) => this.view(c)).filter((v): v is View => v !== null && v !== 'foreign');
      const reuse = existing.find((v) => v.keys.length === 1);
      const key = reuse?.keys[0]!.name ?? initialKeyName(this.ctx.desired.cluster.cluster.name ?? '');
      const target: View = { keys: [{ name: key, fingerprint: '' }], identityFirst: false };
      this.transition(
        'enable-encryption',
        'enable-encryption:generated',
        `write the encryption configuration (aescbc key ${key}) on every control plane`,
        live === '' ? 'features.encryptionProviders.enable is true and no apiserver encrypts yet' : 'features.encryptionProviders has no customEncryptionConfiguration any more: the generated configuration replaces it',
        { path: GENERATED_CONFIG_PATH, source: 'generated', keys: [key], ...(reuse ? {} : { generate: key }) },
        (c) => { const v = this.view(c); return v !== null && v !== 'foreign' && sameView(v, target); },
        describeView(target),
      );
      this.afterSwitch(GENERATED_CONFIG_PATH, { resources: [{ resources: ['secrets'], providers: [{ type: 'aescbc', keys: [{ name: key, fingerprint: '' }] }, { type: 'identity' }] }] }, live);
      return;
    }
    // The apiservers use the generated configuration: finish what was interrupted, then rotate when asked.
    const views = new Map<string, View>();
    for (const c of this.staying) {
      const v = this.view(c);
      if (v === 'foreign') refuse(`${GENERATED_CONFIG_PATH} on ${c.name} is not the configuration this tool generates (one aescbc provider and identity, for secrets)`, 'restore it, or give it as customEncryptionConfiguration');
      if (v === null) refuse(`the apiserver on ${c.name} reads ${GENERATED_CONFIG_PATH}, which is missing there`, `copy ${GENERATED_CONFIG_PATH} from another control plane, then plan again`, [c.name]);
      views.set(c.name, v);
    }
    let current = this.settle([...views.values()]);
    if (current.identityFirst) {
      // A disable was interrupted and encryption is wanted again: the first key becomes primary again.
      current = this.promote({ keys: current.keys, identityFirst: false }, 'encryption is enabled again while a disable was interrupted');
    }
    const [primary, ...rest] = current.keys;
    if (rest.length === 1 && rest[0]!.name === nextKeyName(primary!.name)) {
      // [P, N] with N = next(P): a rotation added N as secondary; it becomes primary now.
      current = this.promote({ keys: [rest[0]!, primary!], identityFirst: false }, `a key rotation added ${rest[0]!.name}; every apiserver can read it`);
    } else if (rest.length === 0 && this.ctx.options.rotateEncryptionKey && this.out.some((p) => p.kind !== 'add-encryption-key' && p.kind !== 'enable-encryption')) {
      // Its key would be added after a later stage's phase: the rotation waits for the next run.
      this.ctx.b.warn('--rotate-encryption-key: an earlier run left the encryption configuration halfway; this run finishes that, run `kubeone apply --force-upgrade --rotate-encryption-key` again to rotate');
    } else if (rest.length === 0 && this.ctx.options.rotateEncryptionKey) {
      const next = nextKeyName(primary!.name);
      const added: View = { keys: [primary!, { name: next, fingerprint: '' }], identityFirst: false };
      this.transition('add-encryption-key', `add-encryption-key:${next}`, `add the new aescbc key ${next} as secondary on every control plane`, `--rotate-encryption-key: every apiserver learns to read ${next} before any writes with it`, { path: GENERATED_CONFIG_PATH, source: 'generated', keys: names(added), generate: next }, () => false, describeView(added));
      current = this.promote({ keys: [added.keys[1]!, primary!], identityFirst: false }, `every apiserver reads ${next}`);
    }
    const summary: EncryptionSummary = { resources: [{ resources: ['secrets'], providers: [{ type: 'aescbc', keys: current.keys }, { type: 'identity' }] }] };
    const [p, ...old] = current.keys;
    this.rewrite(GENERATED_CONFIG_PATH, summary, `every Secret is written with ${p!.name}${old.length ? `, so that ${names({ keys: old, identityFirst: false }).join(', ')} can go` : ''}`, false);
    if (old.length > 0) {
      const final: View = { keys: [p!], identityFirst: false };
      this.transition('drop-encryption-key', `drop-encryption-key:${names({ keys: old, identityFirst: false }).join(',')}`, `drop ${names({ keys: old, identityFirst: false }).join(', ')} from the encryption configuration on every control plane`, `every Secret is stored with ${p!.name} (rewritten under this configuration)`, { path: GENERATED_CONFIG_PATH, source: 'generated', keys: [p!.name] }, () => false, describeView(final));
    }
    this.afterSwitch(GENERATED_CONFIG_PATH, summary, GENERATED_CONFIG_PATH);
  }

  /** Promotes: the first key of `target` becomes primary on every control plane (a phase). */
  private promote(target: View, why: string): View {
    this.transition('promote-encryption-key', `promote-encryption-key:${target.keys[0]!.name}`, `make ${target.keys[0]!.name} the primary key on every control plane`, `${why}: writes use it from now on`, { path: GENERATED_CONFIG_PATH, source: 'generated', keys: names(target) }, (c) => { const v = this.view(c); return v !== null && v !== 'foreign' && sameView(v, target); }, describeView(target));
    return target;
  }

  /**
   * The control planes' generated configurations, brought to one: when a phase was interrupted
   * (two views, one following the other), it is completed first; apiservers that did not load
   * the current file are restarted.
   */
  private settle(views: View[]): View {
    const distinct: View[] = [];
    for (const v of views) if (!distinct.some((d) => sameView(d, v))) distinct.push(v);
    if (distinct.length > 2) refuse(`the control planes have ${distinct.length} different generated encryption configurations (${distinct.map(describeView).join('; ')})`, 'copy one control plane\'s configuration to the others, then plan again');
    let target = distinct[0]!;
    if (distinct.length === 2) {
      const [a, b] = distinct as [View, View];
      // Identity first, or back: the toggle goes either way; the manifest says which (settle is
      // reached only when it asks for the generated configuration: back to the key first).
      const toggled = a.identityFirst !== b.identityFirst && names(a).join(',') === names(b).join(',');
      const follows = (x: View, y: View) =>
        (y.keys.length === x.keys.length + 1 && names(y).slice(0, -1).join(',') === names(x).join(',') && y.keys.at(-1)!.name === nextKeyName(x.keys[0]!.name)) || // add
        (x.keys.length === 2 && y.keys.length === 2 && names(y).join(',') === [x.keys[1]!.name, x.keys[0]!.name].join(',')) || // promote
        (toggled && !y.identityFirst) ||
        (y.keys.length === 1 && x.keys.length > 1 && !x.identityFirst && !y.identityFirst && x.keys[0]!.name === y.keys[0]!.name && x.keys[1]!.name !== nextKeyName(x.keys[0]!.name)); // drop (not of a key just added)
      if (follows(a, b)) target = b;
      else if (follows(b, a)) target = a;
      else refuse(`the control planes have two unrelated generated encryption configurations (${describeView(a)}; ${describeView(b)})`, 'copy one control plane\'s configuration to the others, then plan again');
    }
    // The kind (and id) a plan from the start of the interrupted phase would have given it, so
    // that the journal resumes it. A toggle back from identity first is the promotion toGenerated plans.
    const toggledBack = distinct.length === 2 && distinct.some((v) => v.identityFirst) && !target.identityFirst && distinct.every((v) => names(v).join(',') === names(target).join(','));
    const kind: EncryptionKind = target.identityFirst
      ? 'disable-encryption'
      : toggledBack
        ? 'promote-encryption-key'
        : target.keys.length === 1
          ? 'drop-encryption-key'
          : target.keys[1]!.name === nextKeyName(target.keys[0]!.name)
            ? 'add-encryption-key'
            : 'promote-encryption-key';
    const t = target;
    // Identity first everywhere while the manifest wants the key first: the promotion that follows restarts every apiserver.
    if (t.identityFirst) return t;
    this.transition(
      kind,
      `${kind}:${kind === 'add-encryption-key' ? t.keys[1]!.name : kind === 'drop-encryption-key' ? 'completed' : kind === 'disable-encryption' ? 'identity-first' : t.keys[0]!.name}`,
      `finish writing ${describeView(t)} on every control plane`,
      'an earlier run changed the encryption configuration and did not finish (some control planes, or their running apiservers, have the old one)',
      { path: GENERATED_CONFIG_PATH, source: 'generated', keys: names(t), ...(t.identityFirst ? { identityFirst: true } : {}) },
      (c) => { const v = this.view(c); return v !== null && v !== 'foreign' && sameView(v, t); },
      describeView(t),
    );
    return t;
  }

  private toCustom(live: string): void {
    const d = this.desired;
    if (d.mode !== 'custom') return;
    if (this.ctx.options.rotateEncryptionKey) refuse('--rotate-encryption-key rotates the generated configuration; this cluster uses customEncryptionConfiguration (KubeOne refuses it too)', 'rotate by editing customEncryptionConfiguration: add the new key first, apply, then remove the old one and apply again');
    const matches = (c: Cp) => c.files[CUSTOM_CONFIG_PATH]?.sha256 === d.sha256;
    if (live === CUSTOM_CONFIG_PATH) {
      const others = this.staying.filter((c) => !matches(c));
      if (others.length > 0) {
        const old = new Set(others.map((c) => c.files[CUSTOM_CONFIG_PATH]?.sha256));
        if (old.size > 1) refuse(`the control planes have ${old.size + 1} different ${CUSTOM_CONFIG_PATH}`, `copy one control plane's ${CUSTOM_CONFIG_PATH} to the others, then plan again`);
        const file = others[0]!.files[CUSTOM_CONFIG_PATH];
        if (!file?.summary) refuse(`${CUSTOM_CONFIG_PATH} on ${others[0]!.name} holds something the probe does not read`, 'write it in block style by hand, or restore the configuration the manifest had');
        const lost = this.dropped(file.summary, this.liveSha(CUSTOM_CONFIG_PATH) ?? file.sha256, d.summary);
        if (lost.length > 0) {
          refuse(
            `the new customEncryptionConfiguration drops ${lost.join(', ')}, which the live apiservers use while Secrets may still be encrypted with it`,
            'keep it in the new configuration as a secondary provider and apply (every Secret is rewritten with the new primary); then remove it and apply again',
            others.map((c) => c.name),
          );
        }
      }
      this.transition('update-encryption-config', 'update-encryption-config:custom', 'write the new customEncryptionConfiguration on every control plane', 'features.encryptionProviders.customEncryptionConfiguration changed', { path: CUSTOM_CONFIG_PATH, source: 'custom' }, matches, 'customEncryptionConfiguration');
      this.rewrite(CUSTOM_CONFIG_PATH, d.summary, 'every object is written with the primary provider of customEncryptionConfiguration', false);
      this.afterSwitch(CUSTOM_CONFIG_PATH, d.summary, CUSTOM_CONFIG_PATH);
      return;
    }
    const liveSummary: EncryptionSummary = live === '' ? { resources: [] } : this.summaryAt(live);
    const lost = this.dropped(liveSummary, live === '' ? undefined : this.liveSha(live), d.summary);
    if (lost.length > 0) {
      refuse(
        live === ''
          ? `customEncryptionConfiguration cannot read the objects stored in clear today (${lost.join(', ')} is missing)`
          : `customEncryptionConfiguration drops ${lost.join(', ')}, which the live apiservers use while Secrets may still be encrypted with it`,
        live === '' ? 'add `- identity: {}` as the last provider for every resource it names; remove it later, after the first apply' : `add the key of ${live} to customEncryptionConfiguration as a secondary provider, apply, then remove it and apply again`,
      );
    }
    this.transition('enable-encryption', 'enable-encryption:custom', 'write customEncryptionConfiguration on every control plane', live === '' ? 'features.encryptionProviders.enable is true and no apiserver encrypts yet' : 'customEncryptionConfiguration replaces the generated configuration', { path: CUSTOM_CONFIG_PATH, source: 'custom' }, matches, 'customEncryptionConfiguration');
    this.afterSwitch(CUSTOM_CONFIG_PATH, d.summary, live);
  }

  /**
   * After the apiservers' flag names `path`: the rewrite under it (the objects written before the
   * switch still carry the old provider), then the old file goes. Control planes left behind by
   * an interrupted re-render are re-rendered first.
   */
  private afterSwitch(path: string, summary: EncryptionSummary, live: string): void {
    const switching = live !== path;
    if (switching) this.rewrite(path, summary, `the apiservers read ${path} from now on: every object is written with its primary`, true);
    const old = ENCRYPTION_CONFIG_PATHS.filter((p) => p !== path && this.cps.some((c) => c.files[p]));
    if (old.length > 0) {
      const clearOfOld = switching || old.every((p) => p === live) || this.record?.config === this.liveSha(path) || this.out.some((p) => p.kind === 'rewrite-secrets');
      if (clearOfOld) this.removeFiles(old, `the apiservers read ${path} and every object was rewritten with it`);
    }
  }
}

// ---- the stages -----------------------------------------------------------------------------

const CHANGE: Record<EncryptionKind, ChangeSymbol> = {
  'enable-encryption': '+',
  'update-encryption-config': '~',
  'add-encryption-key': '~',
  'promote-encryption-key': '~',
  'disable-encryption': '~',
  'rewrite-secrets': '~',
  'drop-encryption-key': '~',
  'remove-encryption-config': '-',
};

/** What every phase waits for: the control-plane upgrades and joins, and the control-plane files (its restarts load them too). */
function baseDependencies(ctx: PlanContext): string[] {
  return [...initIds(ctx), ...finalControlPlaneUpgrade(ctx), ...ctx.b.planned('join-control-plane').map((a) => a.id), ...ctx.b.planned('write-control-plane-files').map((a) => a.id)];
}

/**
 * The stage of one encryption kind: the phases of that kind, each after the phase before it.
 * `afterFlags`: the stage runs after reconfigure-control-plane, whose actions its phases wait for.
 * The first encryption stage of the list reports a refusal, blocking every phase and the flag change.
 */
export function encryptionStage<K extends EncryptionKind>(kind: K, name: string, opts: { afterFlags?: boolean; reportsRefusal?: boolean } = {}): ActionKindModule<K> {
  return {
    name,
    when: EVERY_CONVERGE_MODE,
    kinds: { [kind]: { change: CHANGE[kind], serial: true, disruptive: false } } as { [P in K]: KindDeclaration },
    plan(ctx) {
      const a = encryptionAnalysis(ctx);
      if (a.refusal) {
        if (opts.reportsRefusal) ctx.b.refuse(a.refusal, [GUARD_ID]);
        return [];
      }
      return a.phases
        .filter((p) => p.kind === kind && p.afterFlags === Boolean(opts.afterFlags))
        .map((p): ActionDraft<K> => {
          const previous = a.phases[a.phases.indexOf(p) - 1]?.id;
          const flags = p.afterFlags ? ctx.b.planned('reconfigure-control-plane').map((x) => x.id) : [];
          return { kind, id: p.id, hosts: p.hosts, title: p.title, reason: p.reason, steps: p.steps, dependsOn: [...(previous ? [previous] : []), ...baseDependencies(ctx), ...flags] };
        });
    },
  };
}

/** What a re-render of the control planes' static pods (reconfigure-control-plane) waits for: the encryption phases before the flag change, or their refusal. */
export function beforeFlagChange(ctx: PlanContext): string[] {
  const a = encryptionAnalysis(ctx);
  return ctx.b.deps(GUARD_ID, ...a.phases.filter((p) => !p.afterFlags).map((p) => p.id));
}
