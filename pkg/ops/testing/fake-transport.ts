// Test helper: an in-memory host. Understands the handful of command shapes the ops use
// (file tests, sha256sum, $HOME, scripts on stdin) and records everything else.
import type { Duplex } from 'node:stream';
import { readFileSync } from 'node:fs';
import type { ExecOptions, ExecResult, HostTransport, WriteOptions } from '../../ssh/types.js';
import { sha256Hex } from '../../api/sha256.js';

export interface ExecRecord {
  command: string;
  stdin?: string;
}

export class FakeTransport implements HostTransport {
  readonly files = new Map<string, { content: Buffer; mode?: number }>();
  readonly execs: ExecRecord[] = [];
  readonly scripts: string[] = [];
  readonly writes: { path: string; mode?: number }[] = [];
  readonly uploads: string[] = [];
  /** Returns stdout for a script (matched by content); default ''. */
  onScript: (script: string) => Partial<ExecResult> = () => ({});

  constructor(readonly host: string) {}

  async exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    const stdin = opts.stdin?.toString();
    this.execs.push({ command, ...(stdin !== undefined ? { stdin } : {}) });
    if (command.includes('mktemp') && command.includes('bash "$f"') && stdin !== undefined) {
      this.scripts.push(stdin);
      return { code: 0, stdout: '', stderr: '', ...this.onScript(stdin) };
    }
    if (command.includes('set -o noclobber')) {
      if (this.files.has('/var/lib/kubeone/lock.json')) return { code: 0, stdout: 'HELD\n', stderr: '' };
      this.files.set('/var/lib/kubeone/lock.json', { content: Buffer.from(stdin ?? '') });
      return { code: 0, stdout: 'ACQUIRED\n', stderr: '' };
    }
    if (command.startsWith('sudo cat /var/lib/kubeone/lock.json')) {
      return { code: 0, stdout: this.files.get('/var/lib/kubeone/lock.json')?.content.toString() ?? '', stderr: '' };
    }
    if (command.includes('echo REMOVED')) {
      const lock = this.files.get('/var/lib/kubeone/lock.json')?.content.toString() ?? '';
      const id = /"id":"([^"]+)"/.exec(command)?.[1];
      if (id && lock.includes(`"id":"${id}"`)) {
        this.files.delete('/var/lib/kubeone/lock.json');
        return { code: 0, stdout: 'REMOVED\n', stderr: '' };
      }
      return { code: 0, stdout: '', stderr: '' };
    }
    if (command.startsWith('sudo test -')) {
      // File tests combined with !, &&, || and { ...; }: evaluated against the in-memory files.
      const expr = command
        .replace(/sudo test -[fe] ([^\s;}]+)/g, (_m, p: string) => String(this.files.has(p.replace(/'/g, ''))))
        .replace(/\{/g, '(')
        .replace(/;\s*\}/g, ')');
      if (/^(?:[()\s!&|]|true|false)+$/.test(expr)) {
        const ok = Function(`return (${expr});`)() as boolean;
        return { code: ok ? 0 : 1, stdout: '', stderr: '' };
      }
    }
    const sum = /^sudo sha256sum '([^']+)'/.exec(command);
    if (sum) {
      const f = this.files.get(sum[1]!);
      return { code: 0, stdout: f ? `${sha256Hex(f.content)}\n` : '', stderr: '' };
    }
    const find = /^sudo find (\S+) -mindepth 2 -maxdepth 2 -name hosts\.toml/.exec(command);
    if (find) {
      const paths = [...this.files.keys()].filter((p) => p.startsWith(`${find[1]}/`) && p.endsWith('/hosts.toml'));
      return { code: 0, stdout: paths.map((p) => `${p}\n`).join(''), stderr: '' };
    }
    const rm = /^sudo rm -rf '([^']+)'$/.exec(command);
    if (rm) {
      for (const p of [...this.files.keys()]) if (p === rm[1] || p.startsWith(`${rm[1]}/`)) this.files.delete(p);
      return { code: 0, stdout: '', stderr: '' };
    }
    const catIf = /^if sudo test -f '([^']+)'; then sudo cat -- '[^']+'; else exit 3; fi$/.exec(command);
    if (catIf) {
      const f = this.files.get(catIf[1]!);
      return f ? { code: 0, stdout: f.content.toString(), stderr: '' } : { code: 3, stdout: '', stderr: '' };
    }
    const rmf = /^sudo rm -f -- '([^']+)'$/.exec(command);
    if (rmf) {
      this.files.delete(rmf[1]!);
      return { code: 0, stdout: '', stderr: '' };
    }
    if (command === 'printf %s "$HOME"') return { code: 0, stdout: '/home/kubeone', stderr: '' };
    return { code: 0, stdout: '', stderr: '' };
  }

  async writeFile(remotePath: string, content: string | Buffer, opts: WriteOptions = {}): Promise<void> {
    this.writes.push({ path: remotePath, ...(opts.mode !== undefined ? { mode: opts.mode } : {}) });
    this.files.set(remotePath, { content: Buffer.from(content), ...(opts.mode !== undefined ? { mode: opts.mode } : {}) });
  }

  async upload(localPath: string, remotePath: string, opts: WriteOptions = {}): Promise<void> {
    this.uploads.push(remotePath);
    await this.writeFile(remotePath, readFileSync(localPath), opts);
    this.writes.pop();
  }

  async readFile(remotePath: string): Promise<Buffer> {
    const f = this.files.get(remotePath);
    if (!f) throw new Error(`${this.host}: no such file ${remotePath}`);
    return f.content;
  }

  forwardOut(): Promise<Duplex> {
    return Promise.reject(new Error('no tunnels'));
  }

  async close(): Promise<void> {}
}
