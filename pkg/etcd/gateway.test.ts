// The etcd JSON-gateway client against a local HTTPS server that checks the client certificate,
// dialled through a fake "SSH channel" (a plain TCP connection here).
import { expect } from 'chai';
import https from 'node:https';
import net, { type AddressInfo } from 'node:net';
import { TestPki } from '../kube/testing/test-pki.js';
import { EtcdError, EtcdGateway, parseClientUrl } from './gateway.js';

describe('etcd gateway client (JSON gateway over a tunnel)', () => {
  const pki = new TestPki();
  let server: https.Server;
  let port = 0;
  const seen: { path: string; body: string; clientCn: string }[] = [];
  const dialled: string[] = [];
  let snapshotLines: string[] = [];

  before(async () => {
    server = https.createServer({ key: pki.file('server.key'), cert: pki.file('server.crt'), ca: pki.file('ca.crt'), requestCert: true, rejectUnauthorized: true }, (req, res) => {
      let body = '';
      req.on('data', (d) => (body += d));
      req.on('end', () => {
        const peer = (req.socket as import('node:tls').TLSSocket).getPeerCertificate();
        seen.push({ path: req.url ?? '', body, clientCn: String(peer.subject?.CN ?? '') });
        res.setHeader('content-type', 'application/json');
        if (req.url === '/v3/cluster/member/list') {
          res.end(JSON.stringify({ header: {}, members: [{ ID: '18446744073709551615', name: 'cp-1', peerURLs: ['https://10.0.0.1:2380'], clientURLs: ['https://127.0.0.1:2379'] }, { ID: '42', name: 'cp-2', peerURLs: [], clientURLs: [], isLearner: true }] }));
        } else if (req.url === '/v3/maintenance/alarm') {
          res.end(JSON.stringify(JSON.parse(body).action === 'GET' ? { alarms: [{ memberID: '42', alarm: 'NOSPACE' }] } : {}));
        } else if (req.url === '/v3/maintenance/defragment') {
          res.end('{}');
        } else if (req.url === '/v3/maintenance/snapshot') {
          // Lines split across writes, as a stream arrives.
          const text = snapshotLines.join('\n') + '\n';
          res.write(text.slice(0, 7));
          setTimeout(() => res.end(text.slice(7)), 10);
        } else {
          res.statusCode = 404;
          res.end(JSON.stringify({ error: 'Not Found', message: 'Not Found', code: 5 }));
        }
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.close();
    pki.destroy();
  });

  const gateway = (ca = pki.file('ca.crt')) =>
    new EtcdGateway(
      async (host, p) => {
        dialled.push(`${host}:${p}`);
        // The member URL names port 2379: the "channel" lands on the test server whatever the port.
        return net.connect(port, '127.0.0.1');
      },
      { ca, cert: pki.file('admin.crt'), key: pki.file('admin.key') },
      'https://127.0.0.1:2379',
      5000,
    );

  it('lists members (uint64 ids kept as decimal text) and alarms, with the client certificate', async () => {
    const etcd = gateway();
    try {
      const members = await etcd.memberList();
      expect(members).to.deep.equal([
        { id: '18446744073709551615', name: 'cp-1', peerURLs: ['https://10.0.0.1:2380'], clientURLs: ['https://127.0.0.1:2379'], isLearner: false },
        { id: '42', name: 'cp-2', peerURLs: [], clientURLs: [], isLearner: true },
      ]);
      expect(await etcd.alarmList()).to.deep.equal([{ memberId: '42', alarm: 'NOSPACE' }]);
      await etcd.alarmDisarm({ memberId: '42', alarm: 'NOSPACE' });
      expect(JSON.parse(seen.at(-1)!.body)).to.deep.equal({ action: 'DEACTIVATE', memberID: '42', alarm: 'NOSPACE' });
      expect(seen.at(-1)!.clientCn).to.equal('kubernetes-admin');
      expect(dialled.at(-1)).to.equal('127.0.0.1:2379');
    } finally {
      etcd.close();
    }
  });

  it('defragments through the member URL given', async () => {
    const etcd = gateway();
    try {
      await etcd.defragment('https://127.0.0.1:2379');
      expect(seen.at(-1)!.path).to.equal('/v3/maintenance/defragment');
    } finally {
      etcd.close();
    }
  });

  it('streams a snapshot: the blobs in order; an error message or a stream cut short fails with exit 11', async () => {
    const etcd = gateway();
    try {
      const parts = [Buffer.from('first-part'), Buffer.from('second'), Buffer.from('end')];
      snapshotLines = parts.map((p, i) => JSON.stringify({ result: { remaining_bytes: String(parts.slice(i + 1).reduce((n, b) => n + b.length, 0)), blob: p.toString('base64') } }));
      const got: Buffer[] = [];
      expect(await etcd.snapshot(async (c) => void got.push(c))).to.equal(19);
      expect(Buffer.concat(got).toString()).to.equal('first-partsecondend');

      snapshotLines = [snapshotLines[0]!];
      const cut = await etcd.snapshot(async () => undefined).catch((e: Error) => e);
      expect(cut).to.be.instanceOf(EtcdError);
      expect((cut as EtcdError).exitCode).to.equal(11);
      expect((cut as Error).message).to.match(/ended early/);

      snapshotLines = [JSON.stringify({ error: { grpc_code: 8, message: 'etcdserver: too many requests' } })];
      expect(((await etcd.snapshot(async () => undefined).catch((e: Error) => e)) as Error).message).to.contain('too many requests');
    } finally {
      etcd.close();
    }
  });

  it('refuses a server whose certificate is not from the etcd CA', async () => {
    const etcd = gateway(pki.file('other-ca.crt'));
    try {
      const error = await etcd.memberList().catch((e: Error) => e);
      expect(error).to.be.instanceOf(EtcdError);
      expect((error as Error).message).to.match(/certificate/);
    } finally {
      etcd.close();
    }
  });

  it('connects through the leader first; a control plane whose etcd does not answer is passed over', async () => {
    const { connectEtcd } = await import('./connect.js');
    const { desiredState } = await import('../plan/testing/snapshot-builder.js');
    const loaded = desiredState({ version: '1.35.1', controlPlanes: ['cp-1', 'cp-2', 'cp-3'] }).cluster;
    // cp-1 at the address the test server's certificate names: etcd's certificate is checked against it.
    loaded.hosts.forEach((h, i) => (h.config = { ...h.config, privateAddress: i === 0 ? '127.0.0.1' : `10.0.0.${i + 1}`, isLeader: h.name === 'cp-2' }));
    const tried: string[] = [];
    const files: Record<string, Buffer> = {
      '/etc/kubernetes/pki/etcd/ca.crt': pki.file('ca.crt'),
      '/etc/kubernetes/pki/etcd/healthcheck-client.crt': pki.file('admin.crt'),
      '/etc/kubernetes/pki/etcd/healthcheck-client.key': pki.file('admin.key'),
    };
    const pool = {
      closeAll: async () => undefined,
      get: async (h: { name: string }) => {
        tried.push(h.name);
        if (h.name === 'cp-3') throw new Error('cp-3: unreachable');
        return {
          host: h.name,
          readFile: async (path: string) => files[path]!,
          // cp-2's etcd is down: the channel opens and closes at once.
          forwardOut: async (host: string, p: number) => {
            dialled.push(`${h.name}->${host}:${p}`);
            if (h.name === 'cp-2') {
              const dead = net.connect(port, '127.0.0.1');
              dead.once('connect', () => dead.destroy());
              return dead;
            }
            return net.connect(port, '127.0.0.1');
          },
        } as unknown as import('../ssh/types.js').HostTransport;
      },
    };
    const { gateway, host } = await connectEtcd(loaded, pool);
    try {
      expect(tried).to.deep.equal(['cp-2', 'cp-1']);
      expect(host.name).to.equal('cp-1');
      expect(gateway.endpoint).to.equal('https://127.0.0.1:2379');
      expect(dialled.filter((d) => d.includes('->'))).to.include('cp-2->10.0.0.2:2379').and.include('cp-1->127.0.0.1:2379');
    } finally {
      gateway.close();
    }
  });

  it('client URLs: https only, IPv6 without brackets', () => {
    expect(parseClientUrl('https://[fd00::1]:2379')).to.deep.equal({ host: 'fd00::1', port: 2379 });
    expect(() => parseClientUrl('http://10.0.0.1:2379')).to.throw(/not https/);
  });
});
