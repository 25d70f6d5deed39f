// A real OpenSSH server on 127.0.0.1 for pkg/ssh tests: started from a temp config on a
// free port, logs in as the current user (root on the dev machine) with a temp key.
// No containers needed; skipped when sshd is not installed.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const SSHD = '/usr/sbin/sshd';
export const sshdAvailable = existsSync(SSHD) && process.getuid?.() === 0;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on('error', reject);
  });
}

function keygen(file: string, type = 'ed25519'): void {
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'kubeone-test', '-f', file]);
}

export class LocalSshd {
  private process?: ChildProcess;
  port = 0;

  private constructor(readonly dir: string) {}

  get clientKey(): string { return path.join(this.dir, 'client_key'); }
  get otherKey(): string { return path.join(this.dir, 'other_key'); }
  get hostKeyFile(): string { return path.join(this.dir, 'host_key'); }

  static async start(): Promise<LocalSshd> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'kubeone-sshd-'));
    const sshd = new LocalSshd(dir);
    keygen(sshd.clientKey);
    keygen(sshd.otherKey);
    keygen(sshd.hostKeyFile);
    await writeFile(path.join(dir, 'authorized_keys'), await readFile(`${sshd.clientKey}.pub`));
    sshd.port = await freePort();
    await sshd.launch();
    return sshd;
  }

  async hostPublicKey(): Promise<string> {
    return (await readFile(`${this.hostKeyFile}.pub`, 'utf8')).trim();
  }

  /** A new host key, as after a reinstall; the server restarts on the same port. */
  async replaceHostKey(): Promise<void> {
    await this.stop();
    await rm(this.hostKeyFile, { force: true });
    await rm(`${this.hostKeyFile}.pub`, { force: true });
    keygen(this.hostKeyFile);
    await this.launch();
  }

  private async launch(): Promise<void> {
    const config = [
      `Port ${this.port}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${this.hostKeyFile}`,
      `AuthorizedKeysFile ${path.join(this.dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'PermitRootLogin prohibit-password',
      'StrictModes no',
      'AllowTcpForwarding yes',
      'UsePAM no',
      `PidFile ${path.join(this.dir, 'sshd.pid')}`,
    ].join('\n');
    const configFile = path.join(this.dir, 'sshd_config');
    await writeFile(configFile, `${config}\n`);
    await import('node:fs/promises').then((fs) => fs.mkdir('/run/sshd', { recursive: true }));
    this.process = spawn(SSHD, ['-D', '-e', '-f', configFile], { stdio: ['ignore', 'ignore', 'pipe'] });
    this.process.stderr?.resume();
    const deadline = Date.now() + 5_000;
    while (Date.now() < deadline) {
      const up = await new Promise<boolean>((resolve) => {
        const socket = net.connect(this.port, '127.0.0.1', () => {
          socket.destroy();
          resolve(true);
        });
        socket.on('error', () => resolve(false));
      });
      if (up) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('local sshd did not start');
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  }

  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}
