// Interprets the host script's raw output (string leaves) as HostFacts, plus the few
// extras the cluster probe needs (local apiserver /healthz, etcd's view of its members).
import { parseOpensslSans } from '../kubeadm/cert-sans.js';
import type { ResolvedHost } from '../api/types.js';
import { parseEncryptionConfiguration, summarize } from '../encryption/config.js';
import type { ComponentFacts, EncryptionFacts, FileFacts, HostFacts, UnitActiveState, UnitFacts } from '../snapshot/types.js';
import { CONTAINERD_CONFIG, KUBELET_CONFIG, KUBELET_FLAGS, managedPathList } from './host-script.js';

export type RawHostOutput = Record<string, string | Record<string, string>>;

export interface EtcdMemberView {
  id: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

export interface HostExtras {
  /** The local apiserver answered /healthz with ok. */
  apiserverHealthy: boolean;
  /** The member list as the local etcd reports it; null when not available. */
  etcdMembers: EtcdMemberView[] | null;
  /** The local etcd's /health said true; null when not checked. */
  etcdHealthy: boolean | null;
}

const ACTIVE_STATES: UnitActiveState[] = ['active', 'activating', 'inactive', 'failed', 'deactivating'];

function text(raw: RawHostOutput, key: string): string {
  const value = raw[key];
  return typeof value === 'string' ? value.trim() : '';
}

function map(raw: RawHostOutput, key: string): Record<string, string> {
  const value = raw[key];
  return value && typeof value === 'object' ? value : {};
}

/** `systemctl show A B -p ...` output: blocks separated by blank lines, keyed by Id. */
export function parseUnits(output: string): Record<string, UnitFacts> {
  const units: Record<string, UnitFacts> = {};
  for (const block of output.split(/\n\s*\n/)) {
    const props: Record<string, string> = {};
    for (const line of block.split('\n')) {
      const eq = line.indexOf('=');
      if (eq > 0) props[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
    }
    if (!props.Id) continue;
    const name = props.Id.replace(/\.service$/, '');
    const active = ACTIVE_STATES.find((s) => s === props.ActiveState) ?? 'unknown';
    units[name] = {
      installed: props.LoadState === 'loaded',
      active,
      sub: props.SubState ?? '',
      enabled: props.UnitFileState === 'enabled' || props.UnitFileState === 'enabled-runtime',
    };
  }
  return units;
}

// What systemctl reports for a unit without a unit file (the script skips systemctl then).
export const MISSING_UNIT: UnitFacts = { installed: false, active: 'inactive', sub: 'dead', enabled: false };

/** The first semantic version in a tool's version output, without the leading v. */
export function parseVersion(output: string, tool?: 'containerd'): string {
  if (!output) return '';
  // containerd prints "containerd <source> <version> <revision>"; take the third field.
  const candidate = tool === 'containerd' ? (output.split(/\s+/)[2] ?? '') : output;
  const match = /v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.]+)?)/.exec(candidate);
  if (!match) return '';
  // Distribution suffixes (1.6.20~ds1, 1.35.1-1.1) are not part of the upstream version.
  return match[1]!.replace(/~.*$/, '');
}

export function normalizeArch(machine: string): string {
  const known: Record<string, string> = { x86_64: 'amd64', aarch64: 'arm64', armv7l: 'arm', ppc64le: 'ppc64le', s390x: 's390x' };
  return known[machine] ?? machine;
}

/** `registry.k8s.io/kube-apiserver:v1.35.1` -> `1.35.1`; digests and registries with ports handled. */
export function imageTag(image: string): string {
  const withoutDigest = image.split('@')[0]!;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon <= slash) return '';
  return withoutDigest.slice(colon + 1).replace(/^v(?=\d)/, '');
}

/** openssl's `Nov 25 06:00:00 2027 GMT` -> ISO 8601, '' when unparseable. */
export function opensslDateToIso(value: string): string {
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? '' : new Date(ms).toISOString().replace('.000Z', 'Z');
}

function parseJsonObject(value: string): Record<string, unknown> | null {
  if (!value) return null;
  try {
    const parsed = JSON.parse(value) as unknown;
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

function parseBinaries(raw: RawHostOutput, kubeletVersion: string): HostFacts['binaries'] {
  const record = parseJsonObject(text(raw, 'binariesRecord'));
  if (record && (record.origin === 'bundle' || record.origin === 'package')) {
    return { origin: record.origin, version: str(record.version).replace(/^v/, '') };
  }
  const dpkg = text(raw, 'dpkgKubelet');
  if (dpkg.startsWith('install ok installed')) {
    // Debian versions carry a package revision after the last '-' (1.35.1-1.1).
    const debVersion = dpkg.slice('install ok installed'.length).trim().replace(/-[^-]*$/, '');
    return { origin: 'package', version: parseVersion(debVersion) };
  }
  return kubeletVersion ? { origin: 'unknown', version: kubeletVersion } : { origin: 'none', version: '' };
}

function parseLock(value: string): HostFacts['lock'] {
  const o = parseJsonObject(value);
  if (!o) return value ? { id: '', owner: 'unreadable lock file', pid: 0, startedAt: '', command: '' } : null;
  return { id: str(o.id), owner: str(o.owner), pid: Number(o.pid) || 0, startedAt: str(o.startedAt), command: str(o.command) };
}

function parseInflight(value: string): HostFacts['inflight'] {
  const o = parseJsonObject(value);
  if (!o) return value ? { actionId: '', step: 'unreadable in-flight marker', startedAt: '', runId: '' } : null;
  return { actionId: str(o.actionId), step: str(o.step), startedAt: str(o.startedAt), runId: str(o.runId) };
}

function managedFiles(raw: RawHostOutput, managedPaths?: string[]): Record<string, FileFacts> {
  const found = map(raw, 'files');
  const files: Record<string, FileFacts> = {};
  for (const p of managedPathList(managedPaths)) {
    if (!p.includes('*') && !p.includes('?') && !p.includes('[')) files[p] = { exists: false, sha256: '' };
  }
  for (const [p, sha] of Object.entries(found)) files[p] = { exists: true, sha256: sha };
  return Object.fromEntries(Object.entries(files).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sortedRecord(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function parseEtcdMembers(value: string): EtcdMemberView[] | null {
  const o = parseJsonObject(value);
  if (!o || !Array.isArray(o.members)) return null;
  return (o.members as Record<string, unknown>[])
    .map((m) => ({
      // The gRPC gateway prints uint64 IDs as decimal strings; show them in hex as etcdctl does.
      id: /^\d+$/.test(str(m.ID)) ? BigInt(str(m.ID)).toString(16) : str(m.ID),
      name: str(m.name),
      peerURLs: Array.isArray(m.peerURLs) ? m.peerURLs.map(str).sort() : [],
      clientURLs: Array.isArray(m.clientURLs) ? m.clientURLs.map(str).sort() : [],
      isLearner: m.isLearner === true,
    }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Base facts every host has, reachable or not. */
export function hostIdentity(host: ResolvedHost): Pick<HostFacts, 'name' | 'id' | 'role' | 'address' | 'privateAddress'> {
  const c = host.config;
  const target = `${c.publicAddress || c.privateAddress || ''}:${c.sshPort ?? 22}`;
  return {
    name: host.name,
    id: host.id,
    role: host.role,
    address: c.bastion ? `${target} via ${c.bastion}:${c.bastionPort ?? 22}` : target,
    privateAddress: c.privateAddress || c.publicAddress || '',
  };
}

/** `find -printf %T@` (seconds since the epoch, with a fraction) -> ISO 8601 with milliseconds; '' when unparseable. */
export function epochToIso(value: string): string {
  const seconds = Number(value);
  return Number.isFinite(seconds) && seconds > 0 ? new Date(Math.floor(seconds * 1000)).toISOString() : '';
}

function inputsModified(raw: RawHostOutput): Record<string, string> | undefined {
  const entries = Object.entries(map(raw, 'inputsModified'))
    .map(([path, t]) => [path, epochToIso(t)] as const)
    .filter(([, iso]) => iso !== '');
  return entries.length > 0 ? sortedRecord(Object.fromEntries(entries)) : undefined;
}

/** The probe's sanitized encryption configurations (secrets already fingerprints) as summaries. */
function encryptionFacts(raw: RawHostOutput): EncryptionFacts | undefined {
  const flag = text(raw, 'encryptionFlag');
  const sums = map(raw, 'encryptionSums');
  const texts = map(raw, 'encryptionTexts');
  if (!flag && Object.keys(sums).length === 0) return undefined;
  const files: EncryptionFacts['files'] = {};
  for (const [path, sha256] of Object.entries(sums).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const body = texts[path] ?? '!unrecognized';
    const parsed = body === '!unrecognized' ? undefined : parseEncryptionConfiguration(body, { secretsAreFingerprints: true }).config;
    files[path] = { sha256, summary: parsed ? summarize(parsed, true) : null };
  }
  return { flag, files };
}

export function parseHostOutput(host: ResolvedHost, raw: RawHostOutput, managedPaths?: string[]): { facts: HostFacts; extras: HostExtras } {
  const units = parseUnits(text(raw, 'units'));
  const files = managedFiles(raw, managedPaths);
  const file = (p: string): FileFacts => files[p] ?? { exists: false, sha256: '' };
  const component = (unit: string, version: string): ComponentFacts => ({ unit: units[unit] ?? MISSING_UNIT, version });
  const kubeletVersion = parseVersion(text(raw, 'kubelet'));
  const certs: Record<string, string> = {};
  for (const [name, date] of Object.entries(map(raw, 'certs'))) certs[name] = opensslDateToIso(date);
  const expiries = Object.values(certs).filter(Boolean).sort();
  const staticPods: Record<string, string> = {};
  for (const [name, image] of Object.entries(map(raw, 'staticPods'))) staticPods[name] = imageTag(image);
  const memKiB = Number(text(raw, 'memTotalKiB')) || 0;
  const modules = text(raw, 'modules').split(/\s+/).filter(Boolean);

  const facts: HostFacts = {
    ...hostIdentity(host),
    reachable: true,
    hostname: text(raw, 'hostname').toLowerCase(),
    fqdn: text(raw, 'fqdn').trim().toLowerCase(),
    os: { id: text(raw, 'osId'), versionId: text(raw, 'osVersionId'), prettyName: text(raw, 'osPrettyName') },
    kernel: text(raw, 'kernel'),
    arch: normalizeArch(text(raw, 'arch')),
    cpus: Number(text(raw, 'cpus')) || 0,
    memoryMiB: Math.round(memKiB / 1024),
    swapOn: Number(text(raw, 'swapDevices')) > 0,
    prerequisites: {
      modules: modules.includes('overlay') && modules.includes('br_netfilter'),
      sysctls: text(raw, 'ipForward') === '1' && text(raw, 'bridgeNfCallIptables') === '1',
      swapDisabledPersistently: Number(text(raw, 'fstabSwap')) === 0,
    },
    containerd: { ...component('containerd', parseVersion(text(raw, 'containerd'), 'containerd')), config: file(CONTAINERD_CONFIG) },
    kubelet: {
      ...component('kubelet', kubeletVersion),
      flags: file(KUBELET_FLAGS),
      config: file(KUBELET_CONFIG),
      kubeconfig: text(raw, 'kubeletConf') === 'yes',
    },
    kubeadm: { version: parseVersion(text(raw, 'kubeadm')) },
    kubectl: { version: parseVersion(text(raw, 'kubectl')) },
    binaries: parseBinaries(raw, kubeletVersion),
    adminConf: text(raw, 'adminConf') === 'yes',
    ...(text(raw, 'systemdResolved') === 'yes' ? { systemdResolved: true } : {}),
    staticPods: sortedRecord(staticPods),
    certsEarliestExpiry: expiries[0] ?? '',
    certs: sortedRecord(certs),
    ...(text(raw, 'apiserverSans') ? { apiserverSans: parseOpensslSans(text(raw, 'apiserverSans')) } : {}),
    managedFiles: files,
    inflight: parseInflight(text(raw, 'inflight')),
    lock: parseLock(text(raw, 'lock')),
  };
  const encryption = encryptionFacts(raw);
  if (encryption) facts.encryption = encryption;
  const modified = inputsModified(raw);
  if (modified) facts.inputsModified = modified;
  const etcdHealth = parseJsonObject(text(raw, 'etcdHealth'));
  const extras: HostExtras = {
    apiserverHealthy: text(raw, 'healthz') === 'ok',
    etcdMembers: parseEtcdMembers(text(raw, 'etcdMembers')),
    etcdHealthy: text(raw, 'etcdHealth') === '' ? null : etcdHealth?.health === 'true' || etcdHealth?.health === true,
  };
  return { facts, extras };
}
