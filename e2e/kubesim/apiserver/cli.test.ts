// The bundled executable (esbuild, target node18) started with kubeadm-style flags.
import { expect } from 'chai';
import { build } from 'esbuild';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { EtcdCluster, freePort } from './testing/etcd-process.js';
import { createClusterPki, type ClusterPki } from './testing/pki.js';

const here = path.dirname(fileURLToPath(import.meta.url));

describe('kubesim kube-apiserver executable', function () {
  this.timeout(30000);
  let dir: string;
  let bundle: string;
  let pki: ClusterPki;
  let etcd: EtcdCluster;
  let child: ChildProcess | undefined;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-cli-'));
    bundle = path.join(dir, 'kube-apiserver.cjs');
    await build({ entryPoints: [path.join(here, 'cli.ts')], bundle: true, platform: 'node', target: 'node18', format: 'cjs', outfile: bundle, logLevel: 'silent' });
    pki = createClusterPki(path.join(dir, 'pki'));
    etcd = await EtcdCluster.start(dir, pki, 1);
  });
  after(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await etcd?.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('rejects a flag the real kube-apiserver does not have', async () => {
    const p = spawn(process.execPath, [bundle, '--no-such-flag=1'], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    p.stderr!.on('data', (d) => (stderr += d));
    const code = await new Promise((r) => p.once('exit', r));
    expect(code).to.equal(1);
    expect(stderr).to.contain('unknown flag: --no-such-flag');
  });

  it('serves /healthz and /version from the manifest command line', async () => {
    const port = await freePort();
    const args = [
      'kube-apiserver',
      '--advertise-address=127.0.0.1',
      '--bind-address=127.0.0.1',
      `--secure-port=${port}`,
      `--client-ca-file=${pki.ca.certFile}`,
      `--tls-cert-file=${pki.apiserver.certFile}`,
      `--tls-private-key-file=${pki.apiserver.keyFile}`,
      `--etcd-servers=${etcd.endpoints.join(',')}`,
      `--etcd-cafile=${pki.etcdCa.certFile}`,
      `--etcd-certfile=${pki.apiserverEtcdClient.certFile}`,
      `--etcd-keyfile=${pki.apiserverEtcdClient.keyFile}`,
      '--enable-bootstrap-token-auth=true',
      '--authorization-mode=Node,RBAC',
      '--service-cluster-ip-range=10.96.0.0/12',
    ];
    child = spawn(process.execPath, [bundle, ...args], { env: { ...process.env, KUBESIM_VERSION: '1.34.3' }, stdio: 'ignore' });
    const ca = fs.readFileSync(pki.ca.certFile);
    const get = async (p: string): Promise<{ status: number; body: string }> => {
      const https = await import('node:https');
      return new Promise((resolve, reject) => {
        https.get(`https://127.0.0.1:${port}${p}`, { ca }, (res) => {
          let body = '';
          res.on('data', (c) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        }).on('error', reject);
      });
    };
    const deadline = Date.now() + 15000;
    let health = { status: 0, body: '' };
    while (Date.now() < deadline) {
      health = await get('/readyz').catch(() => ({ status: 0, body: '' }));
      if (health.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(health).to.deep.equal({ status: 200, body: 'ok' });
    expect(JSON.parse((await get('/version')).body).gitVersion).to.equal('v1.34.3');
  });
});
