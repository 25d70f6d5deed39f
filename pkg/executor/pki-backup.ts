// PKI backup (KubeOne's --backup): a gzipped tarball of the cluster CA material read from
// the leader, written locally with mode 0600, the files under KubeOne's archive paths
// (etc/kubernetes/pki/...). A minimal ustar writer: no dependency needed.
//
// The bytes depend only on the CA material (fixed mtime, gzip without a timestamp), so a
// converged cluster leaves the file alone. A different file already at the path (an
// earlier CA, or KubeOne's own backup of the cluster) is never overwritten: it is moved
// aside to <path>.<UTC time> first, so no backup is ever lost.
import { chmodSync, existsSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { HostTransport } from '../ssh/types.js';
import { PKI_DIR, readSharedPki } from '../ops/pki.js';

/** Entries carry this mtime so that equal CA material gives equal bytes. */
const FIXED_MTIME = 0;

function header(name: string, size: number, mtime: number): Buffer {
  const h = Buffer.alloc(512, 0);
  const put = (text: string, offset: number, length: number) => h.write(text, offset, length, 'ascii');
  const octal = (value: number, length: number) => value.toString(8).padStart(length - 1, '0') + '\0';
  put(name, 0, 100);
  put(octal(0o600, 8), 100, 8);
  put(octal(0, 8), 108, 8);
  put(octal(0, 8), 116, 8);
  put(octal(size, 12), 124, 12);
  put(octal(mtime, 12), 136, 12);
  put('        ', 148, 8);
  put('0', 156, 1);
  put('ustar\0', 257, 6);
  put('00', 263, 2);
  let sum = 0;
  for (const byte of h) sum += byte;
  put(octal(sum, 7) + ' ', 148, 8);
  return h;
}

export function tarGz(entries: { name: string; content: Buffer }[], mtime = FIXED_MTIME): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e.name, e.content.length, mtime), e.content);
    const pad = (512 - (e.content.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts));
}

/** The archive path of a file under /etc/kubernetes/pki, as KubeOne names it (absolute path without the leading slash). */
export function archivePathOf(pkiFile: string): string {
  return `${PKI_DIR.slice(1)}/${pkiFile}`;
}

export type BackupOutcome =
  | { written: false; reason: 'unchanged' }
  | { written: true; movedAside?: string };

function utcStamp(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

export async function backupPki(leader: HostTransport, outPath: string, now: Date = new Date()): Promise<BackupOutcome> {
  const entries = (await readSharedPki(leader)).map(({ file, content }) => ({ name: archivePathOf(file), content }));
  const archive = tarGz(entries);
  let movedAside: string | undefined;
  if (existsSync(outPath) && statSync(outPath).size > 0) {
    if (readFileSync(outPath).equals(archive)) return { written: false, reason: 'unchanged' };
    movedAside = `${outPath}.${utcStamp(now)}`;
    renameSync(outPath, movedAside);
  }
  writeFileSync(outPath, archive, { mode: 0o600 });
  chmodSync(outPath, 0o600);
  return movedAside ? { written: true, movedAside } : { written: true };
}
