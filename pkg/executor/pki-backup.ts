// PKI backup (KubeOne's --backup): a gzipped tarball of the cluster CA material read from
// the leader, written locally with mode 0600. A minimal ustar writer: no dependency needed.
import { writeFileSync, chmodSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { HostTransport } from '../ssh/types.js';
import { SHARED_PKI } from '../ops/pki.js';

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

export function tarGz(entries: { name: string; content: Buffer }[], mtime = Math.floor(Date.now() / 1000)): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    parts.push(header(e.name, e.content.length, mtime), e.content);
    const pad = (512 - (e.content.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts));
}

export async function backupPki(leader: HostTransport, outPath: string): Promise<string[]> {
  const entries: { name: string; content: Buffer }[] = [];
  for (const file of SHARED_PKI) entries.push({ name: `pki/${file}`, content: await leader.readFile(`/etc/kubernetes/pki/${file}`) });
  writeFileSync(outPath, tarGz(entries), { mode: 0o600 });
  chmodSync(outPath, 0o600);
  return entries.map((e) => e.name);
}
