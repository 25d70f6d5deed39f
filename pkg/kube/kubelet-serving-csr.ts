// Kubelet serving certificates. With serverTLSBootstrap the kubelet asks the cluster CA for its
// serving certificate (signer kubernetes.io/kubelet-serving); nothing in Kubernetes approves
// those, KubeOne does, after every init, join and upgrade of a node, with these checks: the
// request comes from that node (username system:node:<name>, groups system:nodes and
// system:authenticated), asks for server usages only, and its subject is CN=system:node:<name>,
// O=system:nodes and nothing else. A request that fails a check is never approved.

export const KUBELET_SERVING_SIGNER = 'kubernetes.io/kubelet-serving';
const ALLOWED_USAGES = new Set(['digital signature', 'key encipherment', 'server auth']);

export interface CsrView {
  name: string;
  signerName: string;
  username: string;
  groups: string[];
  usages: string[];
  /** spec.request: the PEM text (decoded from base64). */
  requestPem: string;
  approved: boolean;
  /** Denied or Failed: finished, never to be approved. */
  finished: boolean;
}

/** A DER element: tag, and where its content starts and ends. */
interface Der {
  tag: number;
  start: number;
  end: number;
}

function readDer(buf: Buffer, at: number): Der {
  const tag = buf[at];
  let len = buf[at + 1];
  if (tag === undefined || len === undefined) throw new Error('truncated DER');
  let start = at + 2;
  if (len & 0x80) {
    const bytes = len & 0x7f;
    if (bytes < 1 || bytes > 3) throw new Error('unsupported DER length');
    len = 0;
    for (let i = 0; i < bytes; i++) len = (len << 8) | buf[start + i]!;
    start += bytes;
  }
  if (start + len > buf.length) throw new Error('truncated DER');
  return { tag, start, end: start + len };
}

function children(buf: Buffer, parent: Der): Der[] {
  const out: Der[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const el = readDer(buf, at);
    out.push(el);
    at = el.end;
  }
  return out;
}

const OID_CN = '2.5.4.3';
const OID_O = '2.5.4.10';

function oidText(bytes: Buffer): string {
  const parts = [Math.floor(bytes[0]! / 40), bytes[0]! % 40];
  let value = 0;
  for (const b of bytes.subarray(1)) {
    value = value * 128 + (b & 0x7f);
    if (!(b & 0x80)) {
      parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** Subject attributes (OID -> values) of a PKCS#10 certification request in PEM. */
export function csrSubject(pem: string): Record<string, string[]> {
  const blocks = pem.match(/-----BEGIN CERTIFICATE REQUEST-----[\s\S]*?-----END CERTIFICATE REQUEST-----/g) ?? [];
  if (blocks.length !== 1 || pem.replace(blocks[0]!, '').trim() !== '') throw new Error('expected exactly one PEM certificate request');
  const der = Buffer.from(blocks[0]!.replace(/-----[A-Z ]+-----/g, '').replace(/\s+/g, ''), 'base64');
  const request = readDer(der, 0);
  const info = children(der, request)[0];
  if (!info) throw new Error('no certificationRequestInfo');
  const subject = children(der, info)[1];
  if (!subject || subject.tag !== 0x30) throw new Error('no subject');
  const out: Record<string, string[]> = {};
  for (const set of children(der, subject)) {
    for (const attr of children(der, set)) {
      const [oid, value] = children(der, attr);
      if (!oid || !value) continue;
      const key = oidText(der.subarray(oid.start, oid.end));
      (out[key] ??= []).push(der.subarray(value.start, value.end).toString('utf8'));
    }
  }
  return out;
}

/** Why this CSR must not be approved for `node`, or null when it is the node's genuine serving request. */
export function servingCsrProblem(csr: CsrView, node: string): string | null {
  const user = `system:node:${node}`;
  if (!csr.groups.includes('system:nodes') || !csr.groups.includes('system:authenticated')) return 'its requester is not an authenticated node';
  const bad = csr.usages.filter((u) => !ALLOWED_USAGES.has(u));
  if (bad.length > 0) return `it asks for usages a serving certificate does not need: ${bad.join(', ')}`;
  let subject: Record<string, string[]>;
  try {
    subject = csrSubject(csr.requestPem);
  } catch (error) {
    return `its request cannot be read: ${(error as Error).message}`;
  }
  if ((subject[OID_CN] ?? []).join() !== user) return `its subject CN ${JSON.stringify((subject[OID_CN] ?? []).join())} is not ${user}`;
  const orgs = subject[OID_O] ?? [];
  if (orgs.length !== 1 || orgs[0] !== 'system:nodes') return `its subject organizations ${JSON.stringify(orgs)} are not ["system:nodes"]`;
  return null;
}

/** The node's serving CSRs: those to approve, and whether one is approved already. */
export function servingCsrsOf(csrs: CsrView[], node: string): { pending: CsrView[]; approved: boolean } {
  const mine = csrs.filter((c) => c.signerName === KUBELET_SERVING_SIGNER && c.username === `system:node:${node}`);
  return { pending: mine.filter((c) => !c.approved && !c.finished), approved: mine.some((c) => c.approved) };
}
