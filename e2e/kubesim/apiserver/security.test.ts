// The simulated apiserver's encryption at rest, audit log and PodNodeSelector against a real
// local etcd: what is stored is checked with the real storage format (decrypted here with
// node's crypto and NaCl, independently of the simulator), and what the real server refuses at
// start stops it too.
import * as k8s from '@kubernetes/client-node';
import { expect } from 'chai';
import { execFile } from 'node:child_process';
import { createDecipheriv } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import nacl from 'tweetnacl';
import { EtcdClient } from './etcd/etcd-client.js';
import type { ApiServerOptions } from './server.js';
import { startApiServer } from './server.js';
import { LocalCluster } from './testing/local-cluster.js';

const K1 = Buffer.alloc(32, 0x11);
const K2 = Buffer.alloc(32, 0x22);
const G = Buffer.alloc(16, 0x33);
const S = Buffer.alloc(32, 0x44);

function config(providers: string[]): string {
  return ['apiVersion: apiserver.config.k8s.io/v1', 'kind: EncryptionConfiguration', 'resources:', '- resources: [secrets]', '  providers:', ...providers.map((p) => `  - ${p}`), ''].join('\n');
}
const aescbc = (name: string, key: Buffer) => `aescbc: {keys: [{name: ${name}, secret: ${key.toString('base64')}}]}`;
const IDENTITY = 'identity: {}';

async function expectCode(p: Promise<unknown>, code: number): Promise<string> {
  try {
    await p;
  } catch (err) {
    const e = err as k8s.ApiException<string>;
    expect(e.code, String(e.body)).to.equal(code);
    return String(e.body);
  }
  throw new Error(`expected HTTP ${code}`);
}

describe('kubesim apiserver: encryption at rest, audit log, PodNodeSelector', function () {
  this.timeout(60_000);
  let cluster: LocalCluster;
  let core: k8s.CoreV1Api;
  let etcd: EtcdClient;
  const options: Partial<ApiServerOptions> = {};
  let dir: string;

  const use = async (text: string | undefined) => {
    if (text === undefined) delete options.encryptionProviderConfig;
    else {
      const file = path.join(dir, `enc-${Math.random().toString(36).slice(2)}.yaml`);
      fs.writeFileSync(file, text);
      options.encryptionProviderConfig = file;
    }
    await cluster.restartApiServer();
  };
  const stored = async (name: string) => (await etcd.get(`/registry/secrets/default/${name}`)).kv!.valueBytes;
  const secret = (name: string, value: string) => core.createNamespacedSecret({ namespace: 'default', body: { metadata: { name }, stringData: { password: value } } });
  const read = async (name: string) => Buffer.from((await core.readNamespacedSecret({ namespace: 'default', name })).data!.password!, 'base64').toString();

  before(async () => {
    cluster = await LocalCluster.start({ apiServer: options });
    dir = cluster.dir;
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfigPath);
    core = kc.makeApiClient(k8s.CoreV1Api);
    etcd = new EtcdClient({ ...cluster.etcd.clientOptions() });
  });
  after(async () => {
    etcd?.close();
    await cluster?.stop();
  });

  it('aescbc: k8s:enc:aescbc:v1:<key>: + IV + AES-256-CBC of the object; reads back in clear through the API', async () => {
    await use(config([aescbc('key1', K1), IDENTITY]));
    await secret('one', 'hunter2');
    const raw = await stored('one');
    const prefix = Buffer.from('k8s:enc:aescbc:v1:key1:');
    expect(raw.subarray(0, prefix.length).equals(prefix)).to.equal(true);
    expect(raw.includes(Buffer.from('hunter2'))).to.equal(false);
    expect(raw.includes(Buffer.from(Buffer.from('hunter2').toString('base64')))).to.equal(false);
    const body = raw.subarray(prefix.length);
    const d = createDecipheriv('aes-256-cbc', K1, body.subarray(0, 16));
    const plain = JSON.parse(Buffer.concat([d.update(body.subarray(16)), d.final()]).toString()) as { metadata: { name: string } };
    expect(plain.metadata.name).to.equal('one');
    expect(await read('one')).to.equal('hunter2');
    // ConfigMaps are not named by the configuration: stored as they are.
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'plain' }, data: { a: 'visible' } } });
    expect((await etcd.get('/registry/configmaps/default/plain')).kv!.value).to.include('visible');
  });

  it('rotation: a new key second then first; an unchanged PUT rewrites an object read with the old key; then the old key can go', async () => {
    await use(config([aescbc('key1', K1), `aescbc: {keys: [{name: key2, secret: ${K2.toString('base64')}}]}`, IDENTITY]));
    expect(await read('one')).to.equal('hunter2');
    await use(config([`aescbc: {keys: [{name: key2, secret: ${K2.toString('base64')}}, {name: key1, secret: ${K1.toString('base64')}}]}`, IDENTITY]));
    expect((await stored('one')).toString('latin1')).to.match(/^k8s:enc:aescbc:v1:key1:/);
    const current = await core.readNamespacedSecret({ namespace: 'default', name: 'one' });
    await core.replaceNamespacedSecret({ namespace: 'default', name: 'one', body: current });
    expect((await stored('one')).toString('latin1')).to.match(/^k8s:enc:aescbc:v1:key2:/);
    await use(config([`aescbc: {keys: [{name: key2, secret: ${K2.toString('base64')}}]}`, IDENTITY]));
    expect(await read('one')).to.equal('hunter2');
  });

  it('a key that is gone: the object cannot be read (no matching prefix), as the real server', async () => {
    await secret('stuck', 'x');
    await use(config([aescbc('key9', Buffer.alloc(32, 9)), IDENTITY]));
    expect(await expectCode(core.readNamespacedSecret({ namespace: 'default', name: 'stuck' }), 500)).to.match(/no matching prefix found/);
  });

  it('identity first: writes go out in clear, every key still reads; no configuration at all: encrypted data is unreadable', async () => {
    await use(config([`aescbc: {keys: [{name: key2, secret: ${K2.toString('base64')}}]}`, IDENTITY]));
    await secret('two', 'swordfish');
    await use(config([IDENTITY, `aescbc: {keys: [{name: key2, secret: ${K2.toString('base64')}}]}`]));
    expect(await read('two')).to.equal('swordfish');
    await core.replaceNamespacedSecret({ namespace: 'default', name: 'two', body: await core.readNamespacedSecret({ namespace: 'default', name: 'two' }) });
    expect((await stored('two')).toString()).to.include(Buffer.from('swordfish').toString('base64'));
    await use(undefined);
    expect(await read('two')).to.equal('swordfish');
    await expectCode(core.readNamespacedSecret({ namespace: 'default', name: 'one' }), 500);
  });

  it('aesgcm (nonce, tag, the etcd key as additional data) and secretbox (XSalsa20-Poly1305) in the real format', async () => {
    await use(config([`aesgcm: {keys: [{name: g, secret: ${G.toString('base64')}}]}`, IDENTITY]));
    await secret('gcm', 'g');
    const g = await stored('gcm');
    const gp = Buffer.from('k8s:enc:aesgcm:v1:g:');
    expect(g.subarray(0, gp.length).equals(gp)).to.equal(true);
    const body = g.subarray(gp.length);
    const d = createDecipheriv('aes-128-gcm', G, body.subarray(0, 12));
    d.setAAD(Buffer.from('/registry/secrets/default/gcm'));
    d.setAuthTag(body.subarray(body.length - 16));
    expect(JSON.parse(Buffer.concat([d.update(body.subarray(12, body.length - 16)), d.final()]).toString()).metadata.name).to.equal('gcm');
    await use(config([`secretbox: {keys: [{name: s, secret: ${S.toString('base64')}}]}`, IDENTITY]));
    await secret('box', 'b');
    const b = await stored('box');
    const bp = Buffer.from('k8s:enc:secretbox:v1:s:');
    const sb = b.subarray(bp.length);
    const opened = nacl.secretbox.open(new Uint8Array(sb.subarray(24)), new Uint8Array(sb.subarray(0, 24)), new Uint8Array(S));
    expect(opened).not.to.equal(false);
    expect(JSON.parse(Buffer.from(opened as Uint8Array).toString()).metadata.name).to.equal('box');
  });

  it('refuses to start with a configuration the real server refuses (key size, unknown provider, missing file)', async () => {
    const start = (file: string) => startApiServer({ ...cluster.apiServerOptions(), port: 0, encryptionProviderConfig: file });
    const bad = path.join(dir, 'bad.yaml');
    fs.writeFileSync(bad, config([aescbc('short', Buffer.alloc(7))]));
    await expectReject(start(bad), /secret is not of the expected length, got 7/);
    fs.writeFileSync(bad, config(['rot13: {}']));
    await expectReject(start(bad), /unknown provider rot13/);
    await expectReject(start(path.join(dir, 'missing.yaml')), /error reading encryption provider configuration file/);
  });

  it('audit log: events per the policy (Metadata for secrets without their data, Request with the body, None for the rest)', async () => {
    const policy = path.join(dir, 'policy.yaml');
    fs.writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n  resources: [{group: "", resources: [secrets]}]\n- level: Request\n  resources: [{group: "", resources: [configmaps]}]\n  verbs: [create]\n- level: None\n');
    const log = path.join(dir, 'audit.log');
    options.audit = { policyFile: policy, logPath: log };
    await use(undefined);
    await secret('audited', 'top-secret');
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'audited-cm' }, data: { k: 'v' } } });
    await core.listNamespace();
    // The real kubectl sends its creates as protobuf: the event names the object all the same.
    await promisify(execFile)('kubectl', ['--kubeconfig', cluster.kubeconfigPath, '-n', 'default', 'create', 'secret', 'generic', 'from-kubectl', '--from-literal=k=v'], { timeout: 30_000 });
    const events = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const onSecret = events.find((e) => e.objectRef?.resource === 'secrets' && e.verb === 'create')!;
    expect(onSecret).to.deep.include({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata', stage: 'ResponseComplete', verb: 'create' });
    expect(onSecret.user.username).to.equal('kubernetes-admin');
    expect(onSecret.responseStatus.code).to.equal(201);
    expect(onSecret.objectRef, 'the created object is named, as by the real server').to.include({ resource: 'secrets', namespace: 'default', name: 'audited' });
    expect(JSON.stringify(events)).not.to.include('top-secret').and.not.include(Buffer.from('top-secret').toString('base64'));
    expect(events.find((e) => e.verb === 'create' && e.objectRef?.name === 'from-kubectl')?.user.username).to.equal('kubernetes-admin');
    const onCm = events.find((e) => e.objectRef?.resource === 'configmaps')!;
    expect(onCm.level).to.equal('Request');
    expect(onCm.requestObject.data).to.deep.equal({ k: 'v' });
    expect(events.some((e) => e.objectRef?.resource === 'namespaces')).to.equal(false);
    expect(events.every((e) => e.stage === 'ResponseComplete')).to.equal(true);
    fs.writeFileSync(policy, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: []\n');
    await expectReject(startApiServer({ ...cluster.apiServerOptions(), port: 0 }), /loaded illegal policy with 0 rules/);
    delete options.audit;
  });

  it('PodNodeSelector: the namespace selector (else the cluster default) is merged into new pods; a conflict is forbidden; a broken admission file stops the start', async () => {
    const admission = path.join(dir, 'admission.yaml');
    fs.writeFileSync(path.join(dir, 'pns.yaml'), 'podNodeSelectorPluginConfig:\n  clusterDefaultNodeSelector: tier=app\n');
    fs.writeFileSync(admission, 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodNodeSelector\n  path: pns.yaml\n');
    options.admission = { enabled: 'NodeRestriction,PodNodeSelector', configFile: admission };
    await use(undefined);
    const pod = (name: string, ns: string, nodeSelector?: Record<string, string>) =>
      core.createNamespacedPod({ namespace: ns, body: { metadata: { name }, spec: { containers: [{ name: 'c', image: 'registry.k8s.io/pause:3.10' }], ...(nodeSelector ? { nodeSelector } : {}) } } });
    expect((await pod('p1', 'default')).spec?.nodeSelector).to.deep.equal({ tier: 'app' });
    await core.createNamespace({ body: { metadata: { name: 'edge', annotations: { 'scheduler.alpha.kubernetes.io/node-selector': 'zone=edge' } } } });
    expect((await pod('p2', 'edge', { disk: 'ssd' })).spec?.nodeSelector).to.deep.equal({ zone: 'edge', disk: 'ssd' });
    expect(await expectCode(pod('p3', 'edge', { zone: 'core' }), 403)).to.match(/conflicts with its namespace node label selector/);
    await core.patchNamespace({ name: 'kube-system', body: { metadata: { annotations: { 'scheduler.alpha.kubernetes.io/node-selector': '' } } } }, k8s.setHeaderOptions('Content-Type', k8s.PatchStrategy.MergePatch));
    expect((await pod('p4', 'kube-system')).spec?.nodeSelector).to.equal(undefined);
    fs.writeFileSync(admission, 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins:\n- name: PodNodeSelector\n  path: missing.yaml\n');
    await expectReject(startApiServer({ ...cluster.apiServerOptions(), port: 0 }), /failed to read admission plugin "PodNodeSelector" configuration .*no such file/);
    fs.writeFileSync(admission, 'apiVersion: apiserver.config.k8s.io/v1\nkind: AdmissionConfiguration\nplugins: {bad: [\n');
    await expectReject(startApiServer({ ...cluster.apiServerOptions(), port: 0 }), /failed to decode admission control configuration file/);
    delete options.admission;
    await use(undefined);
  });

  it('a file a flag names outside the static pod\'s volumes does not exist for the server (as in its container)', async () => {
    const file = path.join(dir, 'enc-mounted.yaml');
    fs.writeFileSync(file, config([IDENTITY]));
    await expectReject(startApiServer({ ...cluster.apiServerOptions(), port: 0, encryptionProviderConfig: file, mounts: ['/etc/kubernetes/pki'] }), /open .*enc-mounted\.yaml: no such file or directory/);
  });
});

async function expectReject(p: Promise<{ close(): Promise<void> }>, re: RegExp): Promise<void> {
  let server: { close(): Promise<void> } | undefined;
  try {
    server = await p;
  } catch (err) {
    expect((err as Error).message).to.match(re);
    return;
  }
  await server.close();
  throw new Error(`expected the start to fail with ${re}`);
}
