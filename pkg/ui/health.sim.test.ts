// Control-plane health as the dashboard checks it, against the simulated apiserver and its
// real etcd: each control plane's own SSH transport carries the /healthz and etcd /health
// requests (here a plain TCP connection standing in for forwardOut). One control plane is
// unreachable over SSH (unknown), one answers SSH but nothing behind it (unhealthy).
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { LocalCluster } from '../../e2e/kubesim/apiserver/testing/local-cluster.js';
import { loadedCluster } from '../addons/testing/fixtures.js';
import type { ResolvedHost } from '../api/types.js';
import { ETCD_CLIENT_FILES } from '../etcd/gateway.js';
import { ADMIN_CONF } from '../kube/leader.js';
import type { HostTransport } from '../ssh/types.js';
import { controlPlaneHealth } from './health.js';

describe('kubeone ui control-plane health (simulated apiserver, real etcd)', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;

  before(async () => {
    cluster = await LocalCluster.start();
  });
  after(async () => {
    await cluster?.stop();
  });

  function transport(name: string, ports: Record<number, number>): HostTransport {
    const etcd = cluster.etcd.clientOptions();
    const files: Record<string, string> = { [ADMIN_CONF]: cluster.kubeconfigPath, [ETCD_CLIENT_FILES.ca]: etcd.caFile, [ETCD_CLIENT_FILES.cert]: etcd.certFile, [ETCD_CLIENT_FILES.key]: etcd.keyFile };
    return {
      host: name,
      exec: () => Promise.reject(new Error('unused')),
      writeFile: () => Promise.reject(new Error('unused')),
      upload: () => Promise.reject(new Error('unused')),
      readFile: async (path: string) => readFileSync(files[path]!),
      close: async () => undefined,
      forwardOut: (host, port) =>
        new Promise((resolve, reject) => {
          if (ports[port] === undefined) return reject(new Error(`${name}: connection refused to ${host}:${port}`));
          const s = net.connect(ports[port], host, () => resolve(s));
          s.on('error', reject);
        }),
    };
  }

  it('healthy where both answer, unhealthy where SSH works but they do not, unknown where SSH fails', async () => {
    const etcdPort = Number(new URL(cluster.etcd.endpoints[0]!).port);
    const host = (id: number, name: string): ResolvedHost => ({ id, role: 'controlPlane', name, config: { hostname: name, privateAddress: '127.0.0.1' } as ResolvedHost['config'] });
    const hosts = [host(0, 'cp-1'), host(1, 'cp-2'), host(2, 'cp-3'), { ...host(3, 'w-1'), role: 'staticWorker' as const }];
    const transports: Record<string, HostTransport> = { 'cp-1': transport('cp-1', { 6443: cluster.port, 2379: etcdPort }), 'cp-3': transport('cp-3', {}) };
    const pool = { get: async (h: ResolvedHost) => transports[h.name] ?? Promise.reject(new Error(`${h.name}: unreachable`)) };
    const checker = controlPlaneHealth({ ...loadedCluster(), hosts }, pool as never, 3_000);
    try {
      const health = await checker.check();
      expect(health.map((h) => [h.names[0], h.apiserver, h.etcd])).to.deep.equal([
        ['cp-1', true, true],
        ['cp-2', null, null],
        ['cp-3', false, false],
      ]);
      expect(health[0]!.addresses).to.deep.equal(['127.0.0.1']);
      // Pages loaded together share one check.
      const [first, second] = [checker.check(), checker.check()];
      expect(first).to.equal(second);
      await first;
      // Asked again, the same answers (clients are kept or rebuilt).
      expect((await checker.check()).map((h) => h.apiserver)).to.deep.equal([true, null, false]);
    } finally {
      checker.close();
    }
  });
});
