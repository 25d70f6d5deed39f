// The encryption ops against in-memory control planes: keys travel between control planes and
// are created only when no control plane has them; nothing of a key reaches a command line,
// a script or an error; the custom configuration is written in block style (what the probe reads).
import { expect } from 'chai';
import { parse } from 'yaml';
import { computeDesired } from '../desired/index.js';
import { CUSTOM_CONFIG_PATH, GENERATED_CONFIG_PATH, generatedConfig, parseEncryptionConfiguration, renderEncryptionConfiguration } from '../encryption/config.js';
import { action, step } from '../executor/testing/plan-builder.js';
import type { Action } from '../plan/types.js';
import { fixtureCluster } from '../scripts/testing/fixtures.js';
import type { LoadedCluster } from '../api/types.js';
import type { Snapshot } from '../snapshot/types.js';
import type { OpDeps } from './context.js';
import { OPS } from './registry.js';
import { FakeTransport } from './testing/fake-transport.js';
import type { OpDefinition } from './types.js';

const K1 = Buffer.alloc(32, 1).toString('base64');
const K2 = Buffer.alloc(32, 2).toString('base64');

function setup(overrides: Parameters<typeof fixtureCluster>[0] = {}, inputs?: LoadedCluster['controlPlaneInputs']) {
  const loaded = fixtureCluster(overrides);
  if (inputs) loaded.controlPlaneInputs = inputs;
  const transports = new Map(loaded.hosts.map((h) => [h.name, new FakeTransport(h.name)]));
  const snapshot: Snapshot = {
    formatVersion: 'kubeone.snapshot/v1',
    hash: 'h',
    state: { cluster: 'demo', hosts: loaded.hosts.map((h) => ({ name: h.name, id: h.id, role: h.role, address: '', privateAddress: '', reachable: true })), kube: null },
    meta: { tool: 't', probedAt: 'now', durationMs: 1 },
  };
  const deps: OpDeps = {
    loaded,
    snapshot,
    desired: computeDesired(loaded, []),
    transport: async (h) => transports.get(h)!,
    kube: async () => { throw new Error('no API'); },
    kubeConfig: async () => ({}),
    addons: { apply: async () => undefined, prune: async () => undefined },
    clock: { now: () => new Date(), sleep: async () => undefined },
    secrets: new Set(),
    leader: 'cp-1',
  };
  const run = (a: Action) => {
    const s = a.steps[0]!;
    // steps on a host run there
    return (OPS[s.op] as OpDefinition<unknown>).run({ deps, runId: 'r', action: a, step: s, signal: new AbortController().signal }, s.params);
  };
  const file = (host: string, path: string) => transports.get(host)!.files.get(path)?.content.toString();
  const everything = () => [...transports.values()].flatMap((t) => [...t.execs.map((e) => e.command), ...t.scripts]).join('\n');
  return { transports, run, file, everything };
}

const write = (host: string, params: Record<string, unknown>) => action(`x:${host}`, { steps: [step('encryption.config.write', host, params as never)] });
const keysOf = (text: string | undefined) => {
  const p = parseEncryptionConfiguration(text ?? '').config!.resources[0]!.providers[0]!;
  return p.type === 'aescbc' ? p.keys : [];
};

describe('encryption ops', () => {
  it('a new key is created once, on the first control plane, and copied from there to the next', async () => {
    const { run, file, transports, everything } = setup();
    await run(write('cp-1', { path: GENERATED_CONFIG_PATH, source: 'generated', keys: ['kubeone-aaaaaa'], generate: 'kubeone-aaaaaa' }));
    await run(write('cp-2', { path: GENERATED_CONFIG_PATH, source: 'generated', keys: ['kubeone-aaaaaa'], generate: 'kubeone-aaaaaa' }));
    const one = keysOf(file('cp-1', GENERATED_CONFIG_PATH));
    expect(one).to.have.length(1);
    expect(Buffer.from(one[0]!.secret, 'base64')).to.have.length(32);
    expect(file('cp-2', GENERATED_CONFIG_PATH)).to.equal(file('cp-1', GENERATED_CONFIG_PATH));
    expect(transports.get('cp-1')!.writes).to.deep.equal([{ path: GENERATED_CONFIG_PATH, mode: 0o600 }]);
    // KubeOne's shape: aescbc for secrets, then identity.
    expect(parse(file('cp-1', GENERATED_CONFIG_PATH)!).resources[0].providers[1]).to.deep.equal({ identity: {} });
    expect(everything()).not.to.include(one[0]!.secret);
  });

  it('a rotation phase keeps the old key and orders the keys as asked; a key on no control plane is never invented', async () => {
    const { run, file, transports } = setup();
    transports.get('cp-2')!.files.set(GENERATED_CONFIG_PATH, { content: Buffer.from(renderEncryptionConfiguration(generatedConfig([{ name: 'old', secret: K1 }, { name: 'new', secret: K2 }]))) });
    await run(write('cp-1', { path: GENERATED_CONFIG_PATH, source: 'generated', keys: ['new', 'old'] }));
    expect(keysOf(file('cp-1', GENERATED_CONFIG_PATH))).to.deep.equal([{ name: 'new', secret: K2 }, { name: 'old', secret: K1 }]);
    const lost = await run(write('cp-1', { path: GENERATED_CONFIG_PATH, source: 'generated', keys: ['other'] })).catch((e: Error) => e);
    expect(String(lost)).to.match(/key other is on no control plane/);
  });

  it('two control planes holding different keys under one name: nothing is written, and the error shows no key', async () => {
    const { run, transports } = setup();
    transports.get('cp-1')!.files.set(GENERATED_CONFIG_PATH, { content: Buffer.from(renderEncryptionConfiguration(generatedConfig([{ name: 'k', secret: K1 }]))) });
    transports.get('cp-2')!.files.set(GENERATED_CONFIG_PATH, { content: Buffer.from(renderEncryptionConfiguration(generatedConfig([{ name: 'k', secret: K2 }]))) });
    const error = await run(write('cp-1', { path: GENERATED_CONFIG_PATH, source: 'generated', keys: ['k'], identityFirst: true })).catch((e: Error) => e);
    expect(String(error)).to.match(/two different keys named k/).and.not.include(K1).and.not.include(K2);
    expect(transports.get('cp-1')!.writes).to.deep.equal([]);
  });

  it('identity first keeps every provider; the custom configuration is written in block style; copy is byte for byte', async () => {
    const custom = `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - aesgcm: {keys: [{name: g, secret: ${K1}}]}\n  - identity: {}\n`;
    const { run, file } = setup({ features: { encryptionProviders: { enable: true, customEncryptionConfiguration: custom } } });
    await run(write('cp-1', { path: CUSTOM_CONFIG_PATH, source: 'custom' }));
    const written = file('cp-1', CUSTOM_CONFIG_PATH)!;
    expect(written).not.to.include('{keys:');
    expect(parseEncryptionConfiguration(written).config).to.deep.equal(parseEncryptionConfiguration(custom).config);
    await run(write('cp-1', { path: CUSTOM_CONFIG_PATH, source: 'identity-first' }));
    expect(parse(file('cp-1', CUSTOM_CONFIG_PATH)!).resources[0].providers).to.deep.equal([{ identity: {} }, { aesgcm: { keys: [{ name: 'g', secret: K1 }] } }]);
    await run(write('cp-2', { path: CUSTOM_CONFIG_PATH, source: 'copy', from: 'cp-1' }));
    expect(file('cp-2', CUSTOM_CONFIG_PATH)).to.equal(file('cp-1', CUSTOM_CONFIG_PATH));
  });

  it('encryption.config.remove deletes only the named file', async () => {
    const { run, transports } = setup();
    const t = transports.get('cp-1')!;
    t.files.set(GENERATED_CONFIG_PATH, { content: Buffer.from('x') });
    t.files.set(CUSTOM_CONFIG_PATH, { content: Buffer.from('y') });
    await run(action('x:cp-1', { steps: [step('encryption.config.remove', 'cp-1', { path: GENERATED_CONFIG_PATH })] }));
    expect([...t.files.keys()]).to.deep.equal([CUSTOM_CONFIG_PATH]);
  });

  it('host.controlplane.files writes the control plane group with its modes, and nothing on a worker', async () => {
    const policy = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n';
    const { run, transports } = setup({ features: { staticAuditLog: { enable: true, config: { policyFilePath: 'p.yaml', logPath: '/var/log/kubernetes/audit.log' } } } }, { auditPolicy: policy });
    await run(action('x:cp-1', { steps: [step('host.controlplane.files', 'cp-1')] }));
    await run(action('x:worker-1', { steps: [step('host.controlplane.files', 'worker-1')] }));
    expect(transports.get('cp-1')!.files.get('/etc/kubernetes/audit/policy.yaml')).to.deep.equal({ content: Buffer.from(policy), mode: 0o600 });
    expect(transports.get('worker-1')!.writes).to.deep.equal([]);
  });
});
