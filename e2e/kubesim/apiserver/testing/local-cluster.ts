// A local control plane for tests: throwaway PKI, real etcd member(s) on loopback,
// the simulated apiserver, and an admin kubeconfig. Reusable by other helpers.
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { startApiServer, type ApiServerOptions, type RunningApiServer } from '../server.js';
import { EtcdCluster, freePort } from './etcd-process.js';
import { createCert, createClusterPki, type CertPair, type ClusterPki } from './pki.js';

export interface LocalClusterOptions {
  etcdMembers?: number;
  version?: string;
  /** Defaults to a new temp dir, removed by stop(). */
  dir?: string;
  log?: (line: string) => void;
  /** Per-request etcd timeout of the apiserver (short values make quorum loss visible fast). */
  etcdRequestTimeoutMs?: number;
  /** Extra apiserver options. */
  apiServer?: Partial<ApiServerOptions>;
}

export class LocalCluster {
  apiserver?: RunningApiServer;

  private constructor(
    readonly dir: string,
    readonly pki: ClusterPki,
    readonly etcd: EtcdCluster,
    readonly port: number,
    private readonly options: LocalClusterOptions,
    private readonly ownsDir: boolean,
  ) {}

  static async start(opts: LocalClusterOptions = {}): Promise<LocalCluster> {
    const ownsDir = !opts.dir;
    const dir = opts.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-api-'));
    const pki = createClusterPki(path.join(dir, 'pki'));
    const etcd = await EtcdCluster.start(dir, pki, opts.etcdMembers ?? 1);
    const cluster = new LocalCluster(dir, pki, etcd, await freePort(), opts, ownsDir);
    try {
      await cluster.startApiServer();
    } catch (err) {
      await etcd.stop();
      throw err;
    }
    return cluster;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  /** Admin kubeconfig (kubernetes-admin / kubeadm:cluster-admins). */
  get kubeconfigPath(): string {
    return path.join(this.dir, 'admin.conf');
  }

  apiServerOptions(): ApiServerOptions {
    return {
      port: this.port,
      bindAddress: '127.0.0.1',
      advertiseAddress: '127.0.0.1',
      version: this.options.version ?? 'v1.35.1',
      tls: { certFile: this.pki.apiserver.certFile, keyFile: this.pki.apiserver.keyFile, clientCAFile: this.pki.ca.certFile },
      etcd: { ...this.etcd.clientOptions(), requestTimeoutMs: this.options.etcdRequestTimeoutMs },
      serviceClusterIPRange: '10.96.0.0/12',
      enableBootstrapTokenAuth: true,
      serviceAccount: {
        issuer: 'https://kubernetes.default.svc.cluster.local',
        signingKeyFile: this.pki.serviceAccount.keyFile,
        keyFiles: [this.pki.serviceAccount.pubFile],
      },
      log: this.options.log,
      ...this.options.apiServer,
    };
  }

  async startApiServer(): Promise<void> {
    this.apiserver = await startApiServer(this.apiServerOptions());
    this.writeKubeconfig(this.kubeconfigPath, 'kubernetes-admin', this.pki.admin);
    await this.waitReady();
  }

  async stopApiServer(): Promise<void> {
    await this.apiserver?.close();
    this.apiserver = undefined;
  }

  async restartApiServer(): Promise<void> {
    await this.stopApiServer();
    await this.startApiServer();
  }

  /** A client certificate signed by the cluster CA and a kubeconfig using it. */
  userKubeconfig(name: string, commonName: string, organizations: string[] = []): string {
    const pair = createCert(path.join(this.dir, 'pki', 'users'), name, this.pki.ca, { commonName, organizations, usage: 'client' });
    const file = path.join(this.dir, `${name}.conf`);
    this.writeKubeconfig(file, commonName, pair);
    return file;
  }

  /** A kubeconfig authenticating with a bearer token (e.g. a bootstrap token). */
  tokenKubeconfig(name: string, token: string): string {
    const file = path.join(this.dir, `${name}.conf`);
    fs.writeFileSync(file, this.kubeconfigText(name, `    token: ${token}\n`));
    return file;
  }

  private writeKubeconfig(file: string, user: string, pair: CertPair): void {
    const b64 = (f: string): string => fs.readFileSync(f).toString('base64');
    fs.writeFileSync(file, this.kubeconfigText(user, `    client-certificate-data: ${b64(pair.certFile)}\n    client-key-data: ${b64(pair.keyFile)}\n`), { mode: 0o600 });
  }

  private kubeconfigText(user: string, credentials: string): string {
    const ca = fs.readFileSync(this.pki.ca.certFile).toString('base64');
    return [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      '- name: kubesim',
      '  cluster:',
      `    server: ${this.url}`,
      `    certificate-authority-data: ${ca}`,
      'contexts:',
      '- name: kubesim',
      '  context:',
      '    cluster: kubesim',
      `    user: ${JSON.stringify(user)}`,
      'current-context: kubesim',
      'users:',
      `- name: ${JSON.stringify(user)}`,
      '  user:',
      credentials,
    ].join('\n');
  }

  /** Wait until /readyz says ok (etcd reachable, start-up objects created). */
  async waitReady(timeoutMs = 15000): Promise<void> {
    const ca = fs.readFileSync(this.pki.ca.certFile);
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const code = await new Promise<number>((resolve) => {
        const req = https.get(`${this.url}/readyz`, { ca, timeout: 2000 }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        });
        req.on('error', () => resolve(0));
        req.on('timeout', () => req.destroy());
      });
      if (code === 200) return;
      if (Date.now() > deadline) throw new Error(`apiserver at ${this.url} not ready after ${timeoutMs}ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await this.stopApiServer();
    await this.etcd.stop();
    if (this.ownsDir) fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
