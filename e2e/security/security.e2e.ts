// Encryption at rest and the static audit log on one sandbox cluster (1 control plane),
// through the built CLI only, judged by the host and by real clients: etcdctl on the control
// plane reads what the apiserver stored, the real kubectl reads it back through the API.
// audit log (an audited request made with kubectl is in the log on the host, an unaudited one
// is not) -> enable encryption on the running cluster (an existing Secret is rewritten: etcd
// holds ciphertext under k8s:enc:aescbc:v1:<key>:) -> rotate (the prefix names the new key) ->
// rotate again, SIGKILLed halfway, then plain apply finishes it -> disable (Secrets back in
// clear, the configuration gone from host and flags) -> PodNodeSelector, EventRateLimit and OIDC
// (KubeOne's files and flags; the apiserver merges the default selector into a pod kubectl
// creates). After each step the plan is empty.
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

import { expect } from 'chai';
import { parse } from 'yaml';

import { type Fleet, KUBESIM_BUNDLE_TEMPLATE, HOST_ETCDCTL, scenarioHooks, startFleet } from '../fleet/index.js';
import { KUBEONE_BIN, kubeone, manifestSession, startKubeone, waitForOutput } from '../lifecycle/cli.js';

const VERSION = '1.35.1';
const run = promisify(execFile);
type Manifest = Record<string, any>;

const SECRET = { name: 'e2e-db', value: 'correct-horse-battery-staple' };
const EARLY_SECRET = { name: 'e2e-early', value: 'written-before-encryption' };
const AUDIT_LOG = '/var/log/kubernetes/audit.log';
const CONFIG = '/etc/kubernetes/encryption-providers/encryption-providers.yaml';
/** Secrets at Metadata, everything else not at all: an audited and an unaudited request. */
const AUDIT_POLICY = ['apiVersion: audit.k8s.io/v1', 'kind: Policy', 'rules:', '  - level: Metadata', '    resources:', '      - group: ""', '        resources: ["secrets"]', '  - level: None', ''].join('\n');

describe('encryption at rest and the audit log through the CLI', function () {
  this.timeout(1_500_000);
  let fleet: Fleet;
  let dir: string;
  let manifestPath: string;
  let manifest: Manifest;
  let kubeconfigPath: string;

  const onHost = (script: string): Promise<string> => fleet.script('cp-1', script);
  const { write, k1 } = manifestSession(() => ({ manifestPath, dir }));
  const kubectl = async (...args: string[]): Promise<string> => (await run('kubectl', ['--kubeconfig', kubeconfigPath, ...args], { timeout: 60_000 })).stdout;
  const secretValue = async (name: string): Promise<string> => Buffer.from((await kubectl('-n', 'default', 'get', 'secret', name, '-o', 'jsonpath={.data.value}')).trim(), 'base64').toString();
  /** The Secret's value in etcd, read on the host (printable characters kept, the rest as dots). */
  const stored = (name: string): Promise<string> =>
    onHost(
      `${HOST_ETCDCTL} get /registry/secrets/default/${name} --print-value-only | tr -c '[:print:]' '.'`,
    );
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  /** The plan is empty (exit 0 with --detailed-exitcode). */
  const expectConverged = async (): Promise<void> => {
    const plan = await kubeone(['plan', '-m', manifestPath, '--detailed-exitcode'], dir);
    expect(plan.code, `${plan.stdout}\n${plan.stderr}`).to.equal(0);
  };
  const planIds = async (...extra: string[]): Promise<string[]> => {
    const plan = await kubeone(['plan', '-m', manifestPath, '-o', 'json', ...extra], dir);
    expect(plan.code, plan.stderr).to.be.oneOf([0, 2]);
    return (JSON.parse(plan.stdout) as { actions: { id: string }[] }).actions.map((a) => a.id);
  };
  /** The aescbc key name every Secret is stored with, from etcd's prefix. */
  const storedKey = async (name: string): Promise<string> => {
    const raw = await stored(name);
    const m = /^k8s:enc:aescbc:v1:([a-z0-9-]+):/.exec(raw);
    expect(m, `etcd holds ${raw.slice(0, 40)}`).to.not.equal(null);
    expect(raw).to.not.contain(b64(SECRET.value)).and.not.contain(SECRET.value);
    return m![1]!;
  };
  const expectReadable = async (): Promise<void> => {
    expect(await secretValue(SECRET.name)).to.equal(SECRET.value);
    expect(await secretValue(EARLY_SECRET.name)).to.equal(EARLY_SECRET.value);
  };

  before(async function () {
    if (!existsSync(KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', VERSION))) this.skip();
    if (!existsSync(KUBEONE_BIN)) throw new Error(`${KUBEONE_BIN} is missing: run npm run build`);
    fleet = await startFleet({ controlPlanes: 1, workers: 0, kubernetesVersion: VERSION, readyTimeoutMs: 120_000 });
    dir = path.dirname(fleet.manifestPath);
    writeFileSync(path.join(dir, 'audit-policy.yaml'), AUDIT_POLICY);
    manifest = parse(readFileSync(fleet.manifestPath, 'utf8')) as Manifest;
    manifest.features = { ...manifest.features, staticAuditLog: { enable: true, config: { policyFilePath: './audit-policy.yaml', logPath: AUDIT_LOG, logMaxAge: 7, logMaxBackup: 2, logMaxSize: 50 } } };
    manifestPath = path.join(dir, 'security.yaml');
    write(manifest);
  });
  scenarioHooks(() => fleet);

  it('installs with the static audit log: a Secret read with kubectl is in the log on the control plane, a ConfigMap read is not', async () => {
    await k1('apply', '-y', '--no-backup');
    kubeconfigPath = path.join(dir, 'admin.conf');
    writeFileSync(kubeconfigPath, (await k1('kubeconfig')).stdout, { mode: 0o600 });
    const apiserver = await onHost('cat /etc/kubernetes/manifests/kube-apiserver.yaml');
    for (const flag of [`--audit-log-path=${AUDIT_LOG}`, '--audit-log-maxage=7', '--audit-log-maxbackup=2', '--audit-log-maxsize=50', '--audit-policy-file=/etc/kubernetes/audit/policy.yaml']) expect(apiserver).to.contain(flag);
    expect(await onHost('cat /etc/kubernetes/audit/policy.yaml')).to.equal(AUDIT_POLICY);

    await kubectl('-n', 'default', 'create', 'secret', 'generic', EARLY_SECRET.name, `--from-literal=value=${EARLY_SECRET.value}`);
    await kubectl('-n', 'default', 'get', 'secret', EARLY_SECRET.name);
    await kubectl('-n', 'kube-system', 'get', 'configmap', 'kubeadm-config');
    const events = (await onHost(`cat ${AUDIT_LOG}`)).trim().split('\n').map((l) => JSON.parse(l) as Record<string, any>);
    const read = events.find((e) => e.verb === 'get' && e.objectRef?.resource === 'secrets' && e.objectRef?.name === EARLY_SECRET.name && e.stage === 'ResponseComplete');
    expect(read, 'the Secret read is audited').to.not.equal(undefined);
    expect(read!).to.include({ kind: 'Event', apiVersion: 'audit.k8s.io/v1', level: 'Metadata' });
    expect(read!.user.username).to.equal('kubernetes-admin');
    expect(read!.requestObject, 'Metadata level: no bodies').to.equal(undefined);
    expect(events.some((e) => e.verb === 'create' && e.objectRef?.name === EARLY_SECRET.name), 'the create is audited').to.equal(true);
    expect(events.filter((e) => e.objectRef?.resource === 'configmaps'), 'level None').to.deep.equal([]);
    // Before encryption, etcd holds the Secret in clear.
    expect(await stored(EARLY_SECRET.name)).to.contain(b64(EARLY_SECRET.value)).and.not.match(/^k8s:enc:/);
    await expectConverged();
  });

  it('enabling encryption rewrites the existing Secret: etcd holds ciphertext, kubectl reads it in clear', async () => {
    manifest.features.encryptionProviders = { enable: true };
    write(manifest);
    const ids = await planIds();
    expect(ids).to.include('enable-encryption:generated').and.include('rewrite-secrets:after-flags');
    await k1('apply', '-y', '--no-backup');
    expect((await onHost(`stat -c '%a %U' ${CONFIG}`)).trim()).to.equal('600 root');
    expect(await onHost('cat /etc/kubernetes/manifests/kube-apiserver.yaml')).to.contain(`--encryption-provider-config=${CONFIG}`);
    await kubectl('-n', 'default', 'create', 'secret', 'generic', SECRET.name, `--from-literal=value=${SECRET.value}`);
    const key = await storedKey(SECRET.name);
    expect(await storedKey(EARLY_SECRET.name), 'the Secret written before is rewritten').to.equal(key);
    await expectReadable();
    const status = await k1('status');
    // The whole output in the message: a CI run once printed a status without this line.
    expect(status.stdout, `kubeone status printed:\n${status.stdout}\nstderr:\n${status.stderr}`).to.contain(`primary aescbc key ${key}`);
    await expectConverged();
  });

  it('--rotate-encryption-key needs --force-upgrade; the rotation stores every Secret with a new key, and the plan is then empty', async () => {
    const refused = await kubeone(['apply', '-m', manifestPath, '-y', '--rotate-encryption-key'], dir);
    expect(refused.code).to.equal(15);
    expect(refused.stderr).to.contain('rotating encryption keys requires the --force-upgrade flag');
    const old = await storedKey(SECRET.name);
    const rotated = await k1('apply', '-y', '--no-backup', '--force-upgrade', '--rotate-encryption-key', '-l', 'json');
    const ran = [...new Set([...rotated.stdout.matchAll(/"type":"step-started"[^\n]*?"action":"([^"]+)"/g)].map((m) => m[1]!.split(':')[0]!))];
    expect(ran.filter((k) => k !== 'record-ownership'), 'the phases, each its own action, and no upgrade').to.deep.equal(['add-encryption-key', 'promote-encryption-key', 'rewrite-secrets', 'drop-encryption-key']);
    const key = await storedKey(SECRET.name);
    expect(key).to.not.equal(old);
    expect(await storedKey(EARLY_SECRET.name)).to.equal(key);
    expect(await onHost(`cat ${CONFIG}`)).to.contain(`name: ${key}`).and.not.contain(`name: ${old}`);
    await expectReadable();
    await expectConverged();
  });

  it('a rotation SIGKILLed after its new key became primary is finished by a plain apply; every Secret reads', async () => {
    const old = await storedKey(SECRET.name);
    const first = startKubeone(['apply', '-m', manifestPath, '-y', '--no-backup', '--force-upgrade', '--rotate-encryption-key', '-l', 'json'], dir);
    await waitForOutput(first, (o) => /"type":"step-started"[^\n]*"action":"rewrite-secrets:/.test(o), 'the rewrite started');
    first.child.kill('SIGKILL');
    expect((await first.done).signal).to.equal('SIGKILL');
    // Two keys on the host now: the old one is still readable while objects may carry it.
    expect(await onHost(`cat ${CONFIG}`)).to.contain(`name: ${old}`);
    await expectReadable();
    expect((await planIds()).some((id) => id.startsWith('drop-encryption-key:')), 'the plan finishes the rotation without the flag').to.equal(true);
    await k1('apply', '-y', '--no-backup');
    const key = await storedKey(SECRET.name);
    expect(key).to.not.equal(old);
    expect(await storedKey(EARLY_SECRET.name)).to.equal(key);
    expect(await onHost(`cat ${CONFIG}`)).to.not.contain(`name: ${old}`);
    await expectReadable();
    await expectConverged();
  });

  it('disabling decrypts first: Secrets back in identity, the configuration gone from the host and the apiserver flags', async () => {
    manifest.features.encryptionProviders = { enable: false };
    write(manifest);
    const ids = await planIds();
    expect(ids.filter((id) => /encryption|rewrite-secrets|reconfigure-control-plane/.test(id)).map((id) => id.split(':')[0])).to.deep.equal(['disable-encryption', 'rewrite-secrets', 'reconfigure-control-plane', 'remove-encryption-config']);
    await k1('apply', '-y', '--no-backup');
    for (const s of [SECRET, EARLY_SECRET]) expect(await stored(s.name)).to.contain(b64(s.value)).and.not.match(/^k8s:enc:/);
    expect(await onHost('cat /etc/kubernetes/manifests/kube-apiserver.yaml')).to.not.contain('encryption-provider-config');
    expect((await fleet.exec('cp-1', `test -e ${CONFIG}`)).exitCode).to.not.equal(0);
    await expectReadable();
    await expectConverged();
  });

  it('PodNodeSelector, EventRateLimit and OIDC on the running cluster: KubeOne\'s files and flags, kube-system exempt, a pod in default gets the cluster default selector', async () => {
    // The plugin configurations as a KubeOne user writes them (configFilePath), moved by KubeOne to /etc/kubernetes/admission.
    const podNodeSelector = ['podNodeSelectorPluginConfig:', '  clusterDefaultNodeSelector: e2e-tier=general', ''].join('\n');
    const eventRateLimit = ['apiVersion: eventratelimit.admission.k8s.io/v1alpha1', 'kind: Configuration', 'limits:', '  - type: Namespace', '    qps: 50', '    burst: 100', ''].join('\n');
    writeFileSync(path.join(dir, 'podnodeselector.yaml'), podNodeSelector);
    writeFileSync(path.join(dir, 'eventratelimit.yaml'), eventRateLimit);
    manifest.features = {
      ...manifest.features,
      podNodeSelector: { enable: true, config: { configFilePath: './podnodeselector.yaml' } },
      eventRateLimit: { enable: true, config: { configFilePath: './eventratelimit.yaml' } },
      openidConnect: { enable: true, config: { issuerUrl: 'https://dex.e2e.invalid', clientId: 'kubernetes' } },
    };
    write(manifest);
    await k1('apply', '-y', '--no-backup');

    expect(await onHost('cat /etc/kubernetes/admission/podnodeselector.yaml')).to.equal(podNodeSelector);
    expect(await onHost('cat /etc/kubernetes/admission/eventratelimit.yaml')).to.equal(eventRateLimit);
    const admission = parse(await onHost('cat /etc/kubernetes/admission/admission-config.yaml')) as Manifest;
    expect(admission.kind).to.equal('AdmissionConfiguration');
    expect(Object.fromEntries((admission.plugins as Manifest[]).map((p) => [p.name, p.path]))).to.deep.equal({
      PodNodeSelector: '/etc/kubernetes/admission/podnodeselector.yaml',
      EventRateLimit: '/etc/kubernetes/admission/eventratelimit.yaml',
    });
    const pod = parse(await onHost('cat /etc/kubernetes/manifests/kube-apiserver.yaml')) as Manifest;
    const flags = (pod.spec.containers[0].command as string[]).slice(1);
    const flag = (name: string) => flags.find((f) => f.startsWith(`--${name}=`))?.slice(name.length + 3);
    expect(flag('admission-control-config-file')).to.equal('/etc/kubernetes/admission/admission-config.yaml');
    expect(flag('enable-admission-plugins')!.split(',')).to.include.members(['PodNodeSelector', 'EventRateLimit']);
    // KubeOne's OIDC defaults: username claim sub, groups claim groups, RS256.
    expect([flag('oidc-issuer-url'), flag('oidc-client-id'), flag('oidc-username-claim'), flag('oidc-groups-claim'), flag('oidc-signing-algs')]).to.deep.equal([
      'https://dex.e2e.invalid',
      'kubernetes',
      'sub',
      'groups',
      'RS256',
    ]);

    // KubeOne annotates kube-system with an empty selector so that system pods stay schedulable everywhere.
    expect(await kubectl('get', 'namespace', 'kube-system', '-o', 'jsonpath={.metadata.annotations.scheduler\\.alpha\\.kubernetes\\.io/node-selector}')).to.equal('');
    expect(await kubectl('get', 'namespace', 'kube-system', '-o', 'json')).to.contain('"scheduler.alpha.kubernetes.io/node-selector": ""');
    // The real kubectl creates pods; the apiserver's PodNodeSelector admission merges the selectors.
    await kubectl('-n', 'default', 'run', 'e2e-general', '--image=registry.k8s.io/pause:3.10', '--restart=Never');
    await kubectl('-n', 'kube-system', 'run', 'e2e-system', '--image=registry.k8s.io/pause:3.10', '--restart=Never');
    expect(await kubectl('-n', 'default', 'get', 'pod', 'e2e-general', '-o', 'jsonpath={.spec.nodeSelector}')).to.equal('{"e2e-tier":"general"}');
    expect(await kubectl('-n', 'kube-system', 'get', 'pod', 'e2e-system', '-o', 'jsonpath={.spec.nodeSelector}')).to.equal('');
    await expectConverged();
  });
});
