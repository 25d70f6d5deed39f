// The tunnelled KubeConfig against a local HTTPS server that plays a tiny apiserver: a CA,
// a server certificate for 127.0.0.1 and client-certificate auth, as admin.conf sets up.
// The "tunnel" is a plain TCP connection here (pkg/ssh tests cover forwardOut itself).
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';

import { CoreV1Api, KubernetesObjectApi } from '@kubernetes/client-node';
import { expect } from 'chai';

import { LocalSshd, sshdAvailable } from '../ssh/testing/local-sshd.js';
import { createSshPool } from '../ssh/pool.js';
import type { HostTransport } from '../ssh/types.js';
import { TestPki } from './testing/test-pki.js';
import { createTunnelledKubeConfig } from './tunnel-client.js';

describe('pkg/kube tunnelled KubeConfig', function () {
  this.timeout(20_000);
  let pki: TestPki;
  let server: https.Server;
  let port: number;
  let dials = 0;
  const seenClients: string[] = [];

  const adminConf = (caFile?: string) => pki.adminConf(caFile);
  const transport: HostTransport = {
    host: 'cp-1',
    exec: () => Promise.reject(new Error('unused')),
    writeFile: () => Promise.reject(new Error('unused')),
    upload: () => Promise.reject(new Error('unused')),
    readFile: () => Promise.reject(new Error('unused')),
    close: async () => undefined,
    forwardOut: (host, p) => {
      dials++;
      return new Promise((resolve, reject) => {
        const s = net.connect(p, host, () => resolve(s));
        s.on('error', reject);
      });
    },
  };

  before(async () => {
    pki = new TestPki();
    server = https.createServer(
      { key: pki.file('server.key'), cert: pki.file('server.crt'), ca: pki.file('ca.crt'), requestCert: true, rejectUnauthorized: true },
      (req, res) => {
        const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
        seenClients.push(String(peer.subject?.CN ?? ''));
        res.setHeader('content-type', 'application/json');
        if (req.url === '/healthz') return void res.end('ok');
        if (req.url?.startsWith('/api/v1/nodes')) {
          return void res.end(JSON.stringify({ apiVersion: 'v1', kind: 'NodeList', metadata: {}, items: [{ metadata: { name: 'cp-1' }, status: { nodeInfo: { kubeletVersion: 'v1.35.1' } } }] }));
        }
        if (req.url === '/api/v1') {
          return void res.end(JSON.stringify({ kind: 'APIResourceList', groupVersion: 'v1', resources: [{ name: 'configmaps', namespaced: true, kind: 'ConfigMap', verbs: ['list'] }] }));
        }
        if (req.url?.startsWith('/api/v1/namespaces/kube-system/configmaps')) {
          return void res.end(JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMapList', metadata: {}, items: [{ metadata: { name: 'kubeadm-config', namespace: 'kube-system' }, data: { a: 'b' } }] }));
        }
        res.statusCode = 404;
        res.end('{}');
      },
    );
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    port = (server.address() as net.AddressInfo).port;
  });
  after(() => {
    server?.close();
    pki?.destroy();
  });

  it('lists Nodes with CoreV1Api through the dialled channel, authenticated by the admin client certificate', async () => {
    const kc = createTunnelledKubeConfig(transport, adminConf(), '127.0.0.1', port);
    try {
      const before = dials;
      const nodes = await kc.makeApiClient(CoreV1Api).listNode();
      expect(nodes.items.map((n) => n.metadata?.name)).to.deep.equal(['cp-1']);
      expect(dials).to.be.greaterThan(before);
      expect(seenClients.at(-1)).to.equal('kubernetes-admin');
      // keep-alive: a second request reuses the connection
      const afterFirst = dials;
      await kc.makeApiClient(CoreV1Api).listNode();
      expect(dials).to.equal(afterFirst);
      expect(await kc.getRaw('/healthz')).to.deep.equal({ status: 200, body: 'ok' });
    } finally {
      kc.close();
    }
  });

  it('drops a kept-alive connection the apiserver closed, so the next request does not hang', async () => {
    // An SSH channel whose far end closed only ends its readable side (half-open): imitated
    // with allowHalfOpen sockets. The server then closes every connection (a restart).
    const halfOpen: HostTransport = {
      ...transport,
      forwardOut: (host, p) =>
        new Promise((resolve, reject) => {
          const s = net.connect({ port: p, host, allowHalfOpen: true }, () => resolve(s));
          s.on('error', reject);
        }),
    };
    const kc = createTunnelledKubeConfig(halfOpen, adminConf(), '127.0.0.1', port);
    try {
      await kc.makeApiClient(CoreV1Api).listNode();
      server.closeAllConnections();
      await new Promise((r) => setTimeout(r, 200));
      const nodes = await kc.makeApiClient(CoreV1Api).listNode();
      expect(nodes.items).to.have.length(1);
    } finally {
      kc.close();
    }
  });

  it('works with KubernetesObjectApi (discovery + list)', async () => {
    const kc = createTunnelledKubeConfig(transport, adminConf(), '127.0.0.1', port);
    try {
      const list = await KubernetesObjectApi.makeApiClient(kc).list('v1', 'ConfigMap', 'kube-system');
      expect(list.items.map((i) => i.metadata?.name)).to.deep.equal(['kubeadm-config']);
    } finally {
      kc.close();
    }
  });

  it('refuses an apiserver whose certificate is not signed by the admin.conf CA', async () => {
    const kc = createTunnelledKubeConfig(transport, adminConf('other-ca.crt'), '127.0.0.1', port);
    try {
      let failed: unknown;
      await kc.makeApiClient(CoreV1Api).listNode().catch((e: unknown) => (failed = e));
      expect(String((failed as Error)?.message ?? failed)).to.match(/certificate|self.signed|verify/i);
    } finally {
      kc.close();
    }
  });

  (sshdAvailable ? it : it.skip)('dials through a real SSH connection (local sshd, forwardOut)', async () => {
    const sshd = await LocalSshd.start();
    const pool = createSshPool({ knownHostsPath: path.join(pki.dir, 'known_hosts') });
    try {
      const ssh = await pool.get({ id: 0, role: 'controlPlane', name: 'cp-ssh', config: { publicAddress: '127.0.0.1', sshPort: sshd.port, sshUsername: 'root', sshPrivateKeyFile: sshd.clientKey, sshAgentSocket: '' } });
      const kc = createTunnelledKubeConfig(ssh, adminConf(), '127.0.0.1', port);
      try {
        const nodes = await kc.makeApiClient(CoreV1Api).listNode();
        expect(nodes.items).to.have.length(1);
      } finally {
        kc.close();
      }
    } finally {
      await pool.closeAll();
      await sshd.destroy();
    }
  });
});
