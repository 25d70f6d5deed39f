// The HTTP layer against a recording backend: guards before any read or change, redirects,
// escaping of what the cluster says, and failures as pages.
import { expect } from 'chai';
import { request } from 'node:http';
import type { Overview, PodRow } from './model.js';
import { apiFailure, startUiServer, type UiBackend, type UiServer } from './server.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function call(port: number, method: string, path: string, opts: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host: `127.0.0.1:${port}`, ...opts.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    req.on('error', reject);
    req.end(opts.body);
  });
}

const EVIL = '<script>alert(1)</script>';

const OVERVIEW: Overview = {
  controlPlanes: [{ name: 'cp-1', status: 'Ready', heartbeat: '10s', version: 'v1.35.1', apiserver: 'healthy', etcd: 'unhealthy' }],
  workers: [{ name: 'w-1', status: 'NotReady', heartbeat: '5m', version: EVIL, apiserver: 'unknown', etcd: 'unknown' }],
  machineApi: true,
  machineDeployments: [{ namespace: 'kube-system', name: 'pool', replicas: 2, available: 2, kubelet: '1.35.1', age: '1d', machines: [{ namespace: 'kube-system', name: 'pool-x', node: 'n', kubelet: '1.35.1', address: '', age: '1d', deleting: false }] }],
};

describe('ui server (fake backend)', () => {
  const TOKEN = 'T0ken_for-tests-only-0123456789abcdefghijklm';
  let server: UiServer;
  let calls: string[];
  let fail: unknown;
  const backend: UiBackend = {
    overview: async () => {
      calls.push('overview');
      if (fail) throw fail;
      return OVERVIEW;
    },
    pods: async (node) => {
      calls.push(`pods ${node}`);
      return [{ namespace: 'default', name: 'web', phase: 'Running', ready: '1/1', restarts: 0, age: '1m' } satisfies PodRow];
    },
    scale: async (ns, name, d) => void calls.push(`scale ${ns}/${name} ${d}`),
    rollout: async (ns, name) => void calls.push(`rollout ${ns}/${name}`),
    deleteMachine: async (ns, name) => void calls.push(`delete-machine ${ns}/${name}`),
    deletePod: async (ns, name) => void calls.push(`delete-pod ${ns}/${name}`),
  };

  before(async () => {
    server = await startUiServer({ host: '127.0.0.1', port: 0, token: TOKEN, clusterName: `prod${EVIL}`, backend });
  });
  after(() => server.close());
  beforeEach(() => {
    calls = [];
    fail = undefined;
  });

  const cookie = () => ({ cookie: `kubeone_ui_${server.port}=${TOKEN}` });
  const form = (fields: Record<string, string>, headers: Record<string, string> = {}) => ({
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: `http://127.0.0.1:${server.port}`, ...headers },
    body: new URLSearchParams(fields).toString(),
  });

  it('prints a URL with the token on the loopback address and the real port', () => {
    expect(server.url).to.equal(`http://127.0.0.1:${server.port}/?token=${TOKEN}`);
  });

  it('the token in the URL becomes a SameSite=Strict HttpOnly cookie and leaves the address bar', async () => {
    const a = await call(server.port, 'GET', `/pods?node=w-1&token=${TOKEN}`);
    expect(a.status).to.equal(303);
    expect(a.headers.location).to.equal('/pods?node=w-1');
    expect(a.headers['set-cookie']).to.deep.equal([`kubeone_ui_${server.port}=${TOKEN}; Path=/; HttpOnly; SameSite=Strict`]);
    expect(calls).to.deep.equal([]);
  });

  it('without the token, or with a wrong one, nothing is read', async () => {
    expect((await call(server.port, 'GET', '/')).status).to.equal(401);
    expect((await call(server.port, 'GET', '/?token=wrong')).status).to.equal(401);
    expect((await call(server.port, 'GET', '/', { headers: { cookie: `kubeone_ui_${server.port}=wrong` } })).status).to.equal(401);
    expect(calls).to.deep.equal([]);
  });

  it('a request naming another Host (DNS rebinding) is refused even with the token', async () => {
    const a = await call(server.port, 'GET', '/', { headers: { ...cookie(), host: `rebind.example:${server.port}` } });
    expect(a.status).to.equal(403);
    expect(calls).to.deep.equal([]);
  });

  it('the overview escapes what the cluster says and sends the protective headers', async () => {
    const a = await call(server.port, 'GET', '/', { headers: cookie() });
    expect(a.status).to.equal(200);
    expect(a.body).to.include('cp-1').and.include('w-1').and.include('kube-system/pool').and.include('pool-x');
    expect(a.body).not.to.include('<script>');
    expect(a.body).to.include('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(a.headers['content-security-policy']).to.include("default-src 'none'");
    expect(a.headers['x-frame-options']).to.equal('DENY');
    expect(a.headers['cache-control']).to.equal('no-store');
    // Forms carry the token as a field.
    expect(a.body).to.include(`name="token" value="${TOKEN}"`);
    expect(calls).to.deep.equal(['overview']);
  });

  it('scales with the token from an own-origin form and redirects to the overview', async () => {
    const a = await call(server.port, 'POST', '/scale', form({ token: TOKEN, namespace: 'kube-system', name: 'pool', direction: 'up' }));
    expect(a.status).to.equal(303);
    expect(a.headers.location).to.equal('/');
    expect(calls).to.deep.equal(['scale kube-system/pool up']);
  });

  it('rollout, delete-machine and delete-pod reach the backend; delete-pod returns to the node page', async () => {
    await call(server.port, 'POST', '/rollout', form({ token: TOKEN, namespace: 'kube-system', name: 'pool' }));
    await call(server.port, 'POST', '/delete-machine', form({ token: TOKEN, namespace: 'kube-system', name: 'pool-x' }));
    const a = await call(server.port, 'POST', '/delete-pod', form({ token: TOKEN, namespace: 'default', name: 'web', node: 'w-1' }));
    expect(a.headers.location).to.equal('/pods?node=w-1');
    expect(calls).to.deep.equal(['rollout kube-system/pool', 'delete-machine kube-system/pool-x', 'delete-pod default/web']);
  });

  it('a POST from a foreign Origin, another site, or without the form token changes nothing (the cookie alone is not enough)', async () => {
    const fields = { token: TOKEN, namespace: 'default', name: 'web', node: 'w-1' };
    expect((await call(server.port, 'POST', '/delete-pod', form(fields, { origin: 'http://evil.example' }))).status).to.equal(403);
    expect((await call(server.port, 'POST', '/delete-pod', form(fields, { 'sec-fetch-site': 'cross-site' }))).status).to.equal(403);
    const { token: _, ...noToken } = fields;
    expect((await call(server.port, 'POST', '/delete-pod', form(noToken, cookie()))).status).to.equal(401);
    expect((await call(server.port, 'POST', '/delete-pod', form({ ...fields, token: 'wrong' }, cookie()))).status).to.equal(401);
    expect(calls).to.deep.equal([]);
  });

  it('names are validated before any call: bad shapes, repeats and unknown directions are 400', async () => {
    const cases: [string, Record<string, string>][] = [
      ['/delete-pod', { namespace: 'default', name: '../x', node: 'w-1' }],
      ['/delete-pod', { namespace: 'Default', name: 'web', node: 'w-1' }],
      ['/delete-pod', { namespace: 'default', name: 'web', node: 'w 1' }],
      ['/scale', { namespace: 'kube-system', name: 'pool', direction: 'sideways' }],
      ['/delete-machine', { namespace: 'kube-system' }],
    ];
    for (const [path, fields] of cases) expect((await call(server.port, 'POST', path, form({ token: TOKEN, ...fields }))).status, JSON.stringify(fields)).to.equal(400);
    const repeated = `token=${TOKEN}&namespace=default&name=a&name=b&node=w-1`;
    expect((await call(server.port, 'POST', '/delete-pod', { headers: form({}).headers, body: repeated })).status).to.equal(400);
    expect((await call(server.port, 'GET', `/pods?node=${encodeURIComponent(EVIL)}`, { headers: cookie() })).status).to.equal(400);
    expect(calls).to.deep.equal([]);
  });

  it('GET never changes anything: action paths are not pages, other methods are refused', async () => {
    expect((await call(server.port, 'GET', '/delete-pod?namespace=default&name=web&node=w-1', { headers: cookie() })).status).to.equal(404);
    expect((await call(server.port, 'PUT', '/', { headers: cookie() })).status).to.equal(405);
    expect((await call(server.port, 'POST', '/', form({ token: TOKEN }))).status).to.equal(404);
    expect(calls).to.deep.equal([]);
  });

  it('a form must be urlencoded', async () => {
    const a = await call(server.port, 'POST', '/scale', { headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(a.status).to.equal(415);
  });

  it('an API failure is a page with its status and message (escaped), never the response headers', async () => {
    fail = Object.assign(new Error('HTTP-Code: 409 Headers: {"authorization":"Bearer secret"}'), { code: 409, body: JSON.stringify({ message: `conflict ${EVIL}` }) });
    const a = await call(server.port, 'GET', '/', { headers: cookie() });
    expect(a.status).to.equal(409);
    expect(a.body).to.include('reading the cluster: conflict &lt;script&gt;');
    expect(a.body).not.to.include('secret');
    expect(apiFailure(Object.assign(new Error('x'), { code: 500, body: '' }), 'doing').status).to.equal(502);
  });
});
