// `kubeone certificates status`: each control plane's kubeadm certificates and when they
// expire, from the probe's facts (openssl on the host; nothing secret is read).
import { certSANsOf } from '../kubeadm/cluster-configuration.js';
import { missingSans } from '../kubeadm/cert-sans.js';
import type { LoadedCluster } from '../api/types.js';
import { formatTable } from '../probe/status.js';
import type { Snapshot } from '../snapshot/types.js';

export interface CertificateRow {
  host: string;
  certificate: string;
  /** notAfter, ISO 8601 ('' when unreadable). */
  expires: string;
  /** Whole days left (negative: expired); null when unreadable. */
  residualDays: number | null;
}

export interface CertificatesStatus {
  certificates: CertificateRow[];
  /** Control planes whose apiserver.crt lacks names the manifest gives the API endpoint. */
  missingApiserverNames: { host: string; names: string[] }[];
  /** Control planes not read (unreachable, or not a control plane yet). */
  notRead: { host: string; why: string }[];
}

const DAY_MS = 86_400_000;

export function certificatesStatus(loaded: LoadedCluster, snapshot: Snapshot, now: Date): CertificatesStatus {
  const out: CertificatesStatus = { certificates: [], missingApiserverNames: [], notRead: [] };
  const wanted = certSANsOf(loaded.cluster, loaded.hosts);
  for (const host of loaded.hosts.filter((h) => h.role === 'controlPlane')) {
    const facts = snapshot.state.hosts.find((f) => f.name === host.name);
    if (!facts?.reachable) {
      out.notRead.push({ host: host.name, why: facts?.error?.message ?? 'not reachable' });
      continue;
    }
    const certs = Object.entries(facts.certs ?? {}).sort(([a], [b]) => a.localeCompare(b));
    if (certs.length === 0) {
      out.notRead.push({ host: host.name, why: 'no certificates under /etc/kubernetes/pki (not a control plane yet?)' });
      continue;
    }
    for (const [certificate, expires] of certs) {
      const at = Date.parse(expires);
      out.certificates.push({ host: host.name, certificate, expires, residualDays: Number.isNaN(at) ? null : Math.floor((at - now.getTime()) / DAY_MS) });
    }
    const missing = facts.apiserverSans ? missingSans(wanted, facts.apiserverSans) : [];
    if (missing.length > 0) out.missingApiserverNames.push({ host: host.name, names: missing });
  }
  return out;
}

export function renderCertificatesTable(status: CertificatesStatus): string {
  const rows = status.certificates.map((c) => [
    c.host,
    c.certificate,
    c.expires || '?',
    c.residualDays === null ? '?' : c.residualDays < 0 ? 'expired' : `${c.residualDays}d`,
  ]);
  const lines = [formatTable(rows, ['HOST', 'CERTIFICATE', 'EXPIRES', 'RESIDUAL TIME'])];
  for (const m of status.missingApiserverNames) lines.push(`${m.host}: apiserver.crt does not name ${m.names.join(', ')}: \`kubeone certificates renew\` (or apply) issues a new one`);
  for (const n of status.notRead) lines.push(`${n.host}: not read: ${n.why}`);
  return `${lines.join('\n')}\n`;
}
