// Host keys: the manifest's sshHostPublicKey when set, otherwise a known_hosts file kept by
// the tool (trust on first use). The file uses OpenSSH's plain format, one line per host:
// `[address]:port key-type base64-blob` (or `address key-type blob` for port 22), so
// `ssh-keygen -l -f` can read it. A key that changes afterwards is refused unless the
// user accepts it explicitly for that host.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';

export interface HostKey {
  type: string;
  /** The raw SSH wire-format public key blob. */
  blob: Buffer;
}

/** OpenSSH's SHA256 fingerprint: `SHA256:` + unpadded base64 of sha256(blob). */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key type string at the start of a wire-format blob (uint32 length + bytes). */
export function keyTypeOf(blob: Buffer): string {
  if (blob.length < 4) return 'unknown';
  const length = blob.readUInt32BE(0);
  if (length > 64 || blob.length < 4 + length) return 'unknown';
  return blob.subarray(4, 4 + length).toString('ascii');
}

/** Parses `ssh-ed25519 AAAA... [comment]` (an authorized_keys / .pub line). */
export function parsePublicKey(text: string): HostKey {
  const parts = text.trim().split(/\s+/);
  const b64 = parts.find((p) => p.startsWith('AAAA'));
  if (!b64) throw new Error(`not an SSH public key: '${text.trim().slice(0, 40)}...'`);
  const blob = Buffer.from(b64, 'base64');
  return { type: keyTypeOf(blob), blob };
}

/** How a host is named in known_hosts, like OpenSSH does. */
export function knownHostsId(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

/** Host key algorithms to offer so the server presents a key of the recorded type. */
export function hostKeyAlgorithmsFor(type: string): string[] {
  if (type === 'ssh-rsa') return ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'];
  return [type];
}

export type HostKeyVerdict =
  | { ok: true; recorded: boolean }
  | { ok: false; expected: string; presented: string; source: 'manifest' | 'known_hosts' };

export class KnownHosts {
  private entries = new Map<string, HostKey[]>();
  private loading: Promise<void> | undefined;
  /** Serializes writes: several hosts may be trusted at once. */
  private writing: Promise<void> = Promise.resolve();

  constructor(
    readonly file: string,
    /** Host ids (or '*') whose changed key is replaced instead of refused. */
    private readonly acceptChanged: Set<string> = new Set(),
  ) {}

  /** Reads the file once: a probe's connections all ask at the same moment (before, each read and appended it again). */
  load(): Promise<void> {
    this.loading ??= this.read();
    return this.loading;
  }

  private async read(): Promise<void> {
    let text = '';
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    for (const line of text.split('\n')) {
      const trimmed = line.trim();
      if (!trimmed || trimmed.startsWith('#')) continue;
      const [ids, type, b64] = trimmed.split(/\s+/);
      if (!ids || !type || !b64) continue;
      for (const id of ids.split(',')) {
        const list = this.entries.get(id) ?? [];
        list.push({ type, blob: Buffer.from(b64, 'base64') });
        this.entries.set(id, list);
      }
    }
  }

  lookup(id: string): HostKey[] {
    return this.entries.get(id) ?? [];
  }

  /**
   * Decides on a presented key. `names` are the names the user may pass to accept a
   * changed key (the manifest host name and the known_hosts id).
   */
  async verify(id: string, presented: Buffer, names: string[], manifestKey?: HostKey): Promise<HostKeyVerdict> {
    if (manifestKey) {
      if (manifestKey.blob.equals(presented)) return { ok: true, recorded: false };
      return { ok: false, expected: fingerprint(manifestKey.blob), presented: fingerprint(presented), source: 'manifest' };
    }
    await this.load();
    const known = this.lookup(id);
    if (known.some((k) => k.blob.equals(presented))) return { ok: true, recorded: false };
    const accept = this.acceptChanged.has('*') || names.some((n) => this.acceptChanged.has(n)) || this.acceptChanged.has(id);
    if (known.length > 0 && !accept) {
      return { ok: false, expected: fingerprint(known[0]!.blob), presented: fingerprint(presented), source: 'known_hosts' };
    }
    this.entries.set(id, [{ type: keyTypeOf(presented), blob: presented }]);
    await this.save();
    return { ok: true, recorded: true };
  }

  private save(): Promise<void> {
    const next = this.writing.then(async () => {
      const lines = [...this.entries.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .flatMap(([id, keys]) => keys.map((k) => `${id} ${k.type} ${k.blob.toString('base64')}`));
      await mkdir(path.dirname(this.file), { recursive: true, mode: 0o700 });
      const tmp = `${this.file}.${process.pid}.tmp`;
      await writeFile(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
      await rename(tmp, this.file);
    });
    this.writing = next.catch(() => undefined);
    return next;
  }
}
