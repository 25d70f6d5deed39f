// Test helper: a HostTransport that runs commands in a local bash, with `sudo` a no-op
// function and the tool's absolute state paths redirected under a temporary root. Lets the
// lock and marker code run their real shell commands without a remote host.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Duplex } from 'node:stream';
import type { ExecOptions, ExecResult, HostTransport, WriteOptions } from '../../ssh/types.js';

const REDIRECTED = ['/var/lib/kubeone', '/etc/kubeone', '/etc/kubernetes'];

export class LocalTransport implements HostTransport {
  readonly commands: string[] = [];
  constructor(
    readonly host: string,
    readonly root: string,
  ) {}

  private map(text: string): string {
    let out = text;
    for (const p of REDIRECTED) out = out.split(p).join(`${this.root}${p}`);
    return out;
  }

  exec(command: string, opts: ExecOptions = {}): Promise<ExecResult> {
    this.commands.push(command);
    return new Promise((resolve) => {
      const child = spawn('bash', ['-c', `sudo() { "$@"; }; export -f sudo; ${this.map(command)}`]);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      child.stdin.on('error', () => undefined); // commands that ignore stdin may exit first
      child.stdin.end(opts.stdin ?? '');
    });
  }

  async writeFile(remotePath: string, content: string | Buffer, _opts?: WriteOptions): Promise<void> {
    const path = this.map(remotePath);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }

  async upload(localPath: string, remotePath: string): Promise<void> {
    await this.writeFile(remotePath, readFileSync(localPath));
  }

  async readFile(remotePath: string): Promise<Buffer> {
    return readFileSync(this.map(remotePath));
  }

  forwardOut(): Promise<Duplex> {
    return Promise.reject(new Error('no tunnels in LocalTransport'));
  }

  async close(): Promise<void> {}
}
