// `kubeone status` rendering: a table of hosts (NODE ROLE OS CONTAINERD KUBELET APISERVER
// ETCD READY) and the problems found, one per line. Pure: snapshot in, text out.
import { entryFor, providerKeys, type ProviderSummary } from '../encryption/config.js';
import type { ComponentFacts, HostFacts, Snapshot } from '../snapshot/types.js';

export interface StatusOptions {
  /** versions.kubernetes of the manifest, to point out version drift. */
  kubernetesVersion?: string;
  /** ISO time certificates are compared with, and how many days ahead to warn. */
  now?: string;
  certWarningDays?: number;
}

const COLUMNS = ['NODE', 'ROLE', 'OS', 'CONTAINERD', 'KUBELET', 'APISERVER', 'ETCD', 'READY'];

function component(c: ComponentFacts | undefined): string {
  if (!c || (!c.unit.installed && !c.version)) return '-';
  const version = c.version || '?';
  return c.unit.active === 'active' ? version : `${version} (${c.unit.active})`;
}

function health(value: boolean | null | undefined): string {
  if (value === undefined || value === null) return '-';
  return value ? 'healthy' : 'unhealthy';
}

export function statusRows(snapshot: Snapshot): string[][] {
  const kube = snapshot.state.kube;
  return snapshot.state.hosts.map((h) => {
    const cp = h.role === 'controlPlane';
    const role = `${cp ? 'control-plane' : 'worker'}${h.former ? ' (removed)' : ''}`;
    if (!h.reachable) return [h.name, role, `(${h.error?.kind ?? 'unreachable'})`, '?', '?', cp ? '?' : '-', cp ? '?' : '-', '?'];
    const node = kube?.nodes.find((n) => n.host === h.name);
    const member = kube?.etcdMembers.find((m) => m.host === h.name);
    const apiserver = cp && h.adminConf ? health(kube?.apiserverHealthy[h.name] ?? false) : '-';
    const etcd = cp && member ? health(member.healthy) : cp && h.staticPods?.etcd ? 'not a member' : '-';
    const os = h.os ? `${h.os.id} ${h.os.versionId}`.trim() : '?';
    return [h.name, role, os, component(h.containerd), component(h.kubelet), apiserver, etcd, node ? (node.ready ? 'Ready' : 'NotReady') : '-'];
  });
}

export function formatTable(rows: string[][], header = COLUMNS): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]! + 3))).join('').trimEnd()).join('\n');
}

function unitProblem(h: HostFacts, name: 'containerd' | 'kubelet'): string | null {
  const c = h[name];
  if (!c?.unit.installed) return null;
  if (c.unit.active !== 'active') return `${h.name}: ${name} is ${c.unit.active} (${c.unit.sub})`;
  return null;
}

export function statusProblems(snapshot: Snapshot, options: StatusOptions = {}): string[] {
  const problems: string[] = [];
  const kube = snapshot.state.kube;
  const want = options.kubernetesVersion?.replace(/^v/, '');
  const nowMs = options.now ? Date.parse(options.now) : NaN;
  const warnMs = (options.certWarningDays ?? 30) * 86_400_000;
  for (const h of snapshot.state.hosts) {
    // A removed host's Node is already reported as "not in the manifest"; only say when apply cannot reset it.
    if (h.former) {
      if (!h.reachable) problems.push(`${h.name}: removed from the manifest and unreachable: apply deletes its Node but cannot reset it`);
      continue;
    }
    if (!h.reachable) {
      const kind = h.error?.kind ?? 'unreachable';
      const message = h.error?.message ?? '';
      // SSH messages often start with their kind already ("unreachable: ..."): say it once.
      problems.push(message.startsWith(`${kind}:`) ? `${h.name}: ${message}` : `${h.name}: ${kind}: ${message}`.trimEnd());
      continue;
    }
    if (!h.containerd?.unit.installed && !h.kubelet?.unit.installed) {
      problems.push(`${h.name}: not provisioned (no containerd, no kubelet)`);
      continue;
    }
    for (const p of [unitProblem(h, 'containerd'), unitProblem(h, 'kubelet')]) if (p) problems.push(p);
    if (want && h.kubelet?.version && h.kubelet.version !== want) problems.push(`${h.name}: kubelet ${h.kubelet.version}, manifest wants ${want}`);
    if (h.swapOn) problems.push(`${h.name}: swap is on`);
    if (h.role === 'controlPlane' && h.adminConf && kube && kube.apiserverHealthy[h.name] === false) problems.push(`${h.name}: apiserver does not answer /healthz`);
    if (h.kubelet?.kubeconfig && kube?.leader && !kube.nodes.some((n) => n.host === h.name)) problems.push(`${h.name}: kubelet.conf exists but no Node matches this host`);
    if (h.certsEarliestExpiry && !Number.isNaN(nowMs) && Date.parse(h.certsEarliestExpiry) - nowMs < warnMs) {
      problems.push(`${h.name}: a control-plane certificate expires ${h.certsEarliestExpiry}`);
    }
    if (h.inflight) problems.push(`${h.name}: interrupted step ${h.inflight.step} of ${h.inflight.actionId} (run ${h.inflight.runId}); the next apply resumes it`);
    if (h.lock) problems.push(`${h.name}: cluster lock held by ${h.lock.owner} (pid ${h.lock.pid}, ${h.lock.command}, since ${h.lock.startedAt})`);
  }
  if (kube) {
    if (kube.error) problems.push(`cluster: ${kube.error}`);
    for (const n of kube.nodes) {
      if (!n.ready) problems.push(`node ${n.name}: NotReady`);
      if (n.host === null) problems.push(`node ${n.name}: not in the manifest`);
    }
    for (const m of kube.etcdMembers) {
      if (m.healthy === false) problems.push(`etcd member ${m.name} (${m.id}): unhealthy`);
      if (m.host === null) problems.push(`etcd member ${m.name} (${m.id}): not a control plane of the manifest`);
    }
  }
  return problems;
}

/** A provider as status names it: `aescbc key kubeone-1a2b3c`, `kms my-kms`, `identity (no encryption)`. */
function describeProvider(p: ProviderSummary | undefined): string {
  if (!p || p.type === 'identity') return 'identity (writes in clear)';
  if (p.type === 'kms') return `kms ${p.name}`;
  return `${p.type} key ${p.keys[0]?.name ?? '?'}`;
}

/**
 * Encryption at rest as the control planes show it: whether the apiservers encrypt Secrets,
 * with which provider and primary key, other keys still readable, and what the last rewrite
 * recorded. Key material is never known here (the probe reports names and fingerprints).
 */
export function encryptionStatus(snapshot: Snapshot): string[] {
  const cps = snapshot.state.hosts.filter((h) => h.role === 'controlPlane' && h.reachable && !h.former && h.adminConf);
  if (cps.length === 0) return [];
  const lines: string[] = [];
  const flags = new Map<string, string[]>();
  for (const h of cps) flags.set(h.encryption?.flag ?? '', [...(flags.get(h.encryption?.flag ?? '') ?? []), h.name]);
  for (const [flag, hosts] of flags) {
    if (!flag) {
      lines.push(`off on ${hosts.join(', ')} (no --encryption-provider-config: Secrets are stored in clear)`);
      continue;
    }
    const files = new Set(hosts.map((h) => cps.find((x) => x.name === h)?.encryption?.files[flag]?.sha256 ?? ''));
    const summary = cps.find((x) => x.name === hosts[0])?.encryption?.files[flag]?.summary;
    if (!summary) {
      lines.push(`active on ${hosts.join(', ')} with ${flag} (${files.has('') ? 'missing on some' : 'not readable by the probe'})`);
      continue;
    }
    const secrets = entryFor(summary, 'secrets') ?? [];
    const first = secrets[0];
    const others = secrets.flatMap(providerKeys).slice(1).map((k) => k.split('@')[0]!);
    const primary = first?.type === 'identity' ? 'identity first: Secrets are written in clear (decrypting)' : `primary ${describeProvider(first)}`;
    lines.push(`active on ${hosts.join(', ')} with ${flag}: ${primary}${others.length ? `; also reads ${others.join(', ')}` : ''}${files.size > 1 ? ' (the control planes have different files: a change did not finish)' : ''}`);
  }
  const record = snapshot.state.kube?.encryptionRewrite;
  if (record) lines.push(`every ${Object.keys(record.primaries).join(' and ')} object last rewritten with ${Object.values(record.primaries).join(', ')} (kube-system/kubeone-encryption)`);
  return lines;
}

export function renderStatus(snapshot: Snapshot, options: StatusOptions = {}): string {
  const problems = statusProblems(snapshot, options);
  const tail = problems.length > 0 ? `\nProblems:\n${problems.map((p) => `  ${p}`).join('\n')}` : '\nNo problems found.';
  const encryption = encryptionStatus(snapshot);
  const enc = encryption.length > 0 ? `\nEncryption at rest:\n${encryption.map((l) => `  ${l}`).join('\n')}\n` : '';
  return `${formatTable(statusRows(snapshot))}\n${enc}${tail}\n`;
}
