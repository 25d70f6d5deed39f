// Runs real etcd members (Debian's etcd-server, /usr/bin/etcd) on random loopback
// ports with TLS for clients, for tests. Peers talk plain HTTP on loopback.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { EtcdClient } from '../etcd/etcd-client.js';
import type { ClusterPki } from './pki.js';

export function findEtcdBinary(): string {
  const candidates = [process.env.ETCD_BINARY, '/usr/bin/etcd', '/usr/local/bin/etcd'].filter(Boolean) as string[];
  for (const c of candidates) if (fs.existsSync(c)) return c;
  throw new Error('etcd binary not found (install Debian package etcd-server or set ETCD_BINARY)');
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

interface Member {
  name: string;
  clientPort: number;
  peerPort: number;
  dataDir: string;
  process?: ChildProcess;
  logFile: string;
}

export class EtcdCluster {
  private constructor(
    private readonly members: Member[],
    private readonly pki: ClusterPki,
  ) {}

  /** Start a new cluster of `size` members under dir and wait until it serves. */
  static async start(dir: string, pki: ClusterPki, size = 1): Promise<EtcdCluster> {
    const members: Member[] = [];
    for (let i = 0; i < size; i++) {
      members.push({
        name: `m${i}`,
        clientPort: await freePort(),
        peerPort: await freePort(),
        dataDir: path.join(dir, `etcd-m${i}`),
        logFile: path.join(dir, `etcd-m${i}.log`),
      });
    }
    const cluster = new EtcdCluster(members, pki);
    for (let i = 0; i < size; i++) cluster.spawnMember(i);
    await cluster.waitHealthy();
    return cluster;
  }

  get endpoints(): string[] {
    return this.members.map((m) => `https://127.0.0.1:${m.clientPort}`);
  }

  clientOptions(): { endpoints: string[]; caFile: string; certFile: string; keyFile: string } {
    return {
      endpoints: this.endpoints,
      caFile: this.pki.etcdCa.certFile,
      certFile: this.pki.apiserverEtcdClient.certFile,
      keyFile: this.pki.apiserverEtcdClient.keyFile,
    };
  }

  private spawnMember(i: number): void {
    const m = this.members[i]!;
    const initialCluster = this.members.map((x) => `${x.name}=http://127.0.0.1:${x.peerPort}`).join(',');
    const args = [
      `--name=${m.name}`,
      `--data-dir=${m.dataDir}`,
      `--listen-client-urls=https://127.0.0.1:${m.clientPort}`,
      `--advertise-client-urls=https://127.0.0.1:${m.clientPort}`,
      `--listen-peer-urls=http://127.0.0.1:${m.peerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${m.peerPort}`,
      `--initial-cluster=${initialCluster}`,
      '--initial-cluster-state=new',
      '--initial-cluster-token=kubesim-test',
      `--cert-file=${this.pki.etcdServer.certFile}`,
      `--key-file=${this.pki.etcdServer.keyFile}`,
      `--trusted-ca-file=${this.pki.etcdCa.certFile}`,
      '--client-cert-auth=true',
      '--heartbeat-interval=50',
      '--election-timeout=500',
      '--snapshot-count=10000',
    ];
    const log = fs.openSync(m.logFile, 'a');
    const child = spawn(findEtcdBinary(), args, { stdio: ['ignore', log, log] });
    fs.closeSync(log);
    m.process = child;
    // Never leave an etcd behind when the test process exits abruptly.
    const reap = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    process.once('exit', reap);
    child.once('exit', () => process.removeListener('exit', reap));
  }

  /** Stop member i (SIGKILL: like a crashed host). */
  async stopMember(i: number): Promise<void> {
    const p = this.members[i]!.process;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => p.once('exit', () => resolve()));
    p.kill('SIGKILL');
    await exited;
    this.members[i]!.process = undefined;
  }

  /** Restart a stopped member with its existing data dir. */
  startMember(i: number): void {
    if (this.members[i]!.process) return;
    this.spawnMember(i);
  }

  async waitHealthy(timeoutMs = 20000): Promise<void> {
    const client = new EtcdClient({ ...this.clientOptions(), requestTimeoutMs: 1000 });
    const deadline = Date.now() + timeoutMs;
    try {
      for (;;) {
        try {
          await client.revision();
          return;
        } catch (err) {
          if (Date.now() > deadline) throw new Error(`etcd did not become healthy: ${(err as Error).message}`);
          await new Promise((r) => setTimeout(r, 100));
        }
      }
    } finally {
      client.close();
    }
  }

  async stop(): Promise<void> {
    for (let i = 0; i < this.members.length; i++) await this.stopMember(i);
  }
}
