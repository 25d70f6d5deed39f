// The ownership rules for control-plane flags and volumes, and the record's stored form.
import { expect } from 'chai';
import fc from 'fast-check';
import type { KubeOneCluster } from '../api/types.js';
import { clusterConfiguration } from '../plan/testing/desired-builder.js';
import { describeKept, settingNames, withUnownedLiveSettings } from './control-plane.js';
import { canonicalRecord, emptyRecord, parseRecord, sameRecord, serializeRecord } from './record.js';

/** kube-system/kubeadm-config as KubeOne 1.14 leaves it with static audit logging and encryption at rest on. */
function kubeOneLive(extra: Record<string, string> = {}): Record<string, unknown> {
  const c = clusterConfiguration({
    'audit-log-maxage': '30',
    'audit-log-maxbackup': '3',
    'audit-log-maxsize': '100',
    'audit-log-path': '/var/log/kubernetes/audit.log',
    'audit-policy-file': '/etc/kubernetes/audit/policy.yaml',
    'encryption-provider-config': '/etc/kubernetes/encryption-providers/encryption-providers.yaml',
    profiling: 'false',
    ...extra,
  });
  (c.apiServer as Record<string, unknown>).extraVolumes = [
    { name: 'audit-conf', hostPath: '/etc/kubernetes/audit', mountPath: '/etc/kubernetes/audit', readOnly: true, pathType: 'DirectoryOrCreate' },
    { name: 'log', hostPath: '/var/log/kubernetes', mountPath: '/var/log/kubernetes', pathType: 'DirectoryOrCreate' },
    { name: 'encryption-providers-conf', hostPath: '/etc/kubernetes/encryption-providers', mountPath: '/etc/kubernetes/encryption-providers', readOnly: true, pathType: 'DirectoryOrCreate' },
  ];
  return c;
}

const rendered = () => clusterConfiguration({ profiling: 'false' });
const cluster = (features: KubeOneCluster['features'] = {}): KubeOneCluster => ({ apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', features });
const argNames = (c: Record<string, unknown>) => ((c.apiServer as { extraArgs: { name: string }[] }).extraArgs ?? []).map((a) => a.name);
const volumeNames = (c: Record<string, unknown>) => (((c.apiServer as { extraVolumes?: { name: string }[] }).extraVolumes) ?? []).map((v) => v.name);

describe('ownership of control-plane flags and volumes', () => {
  it('keeps every live flag and volume kubeone has no record of (a cluster KubeOne built), and says so', () => {
    const merged = withUnownedLiveSettings(rendered(), kubeOneLive(), null, cluster());
    expect(argNames(merged.clusterConfiguration)).to.deep.equal([
      'audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize', 'audit-log-path', 'audit-policy-file', 'encryption-provider-config', 'profiling',
    ]);
    expect(volumeNames(merged.clusterConfiguration)).to.deep.equal(['audit-conf', 'log', 'encryption-providers-conf']);
    expect(merged.kept.map((k) => `${k.kind} ${k.name}`)).to.deep.equal([
      'flag audit-log-maxage', 'flag audit-log-maxbackup', 'flag audit-log-maxsize', 'flag audit-log-path', 'flag audit-policy-file', 'flag encryption-provider-config',
      'volume audit-conf', 'volume log', 'volume encryption-providers-conf',
    ]);
    const audit = merged.kept.find((k) => k.name === 'audit-policy-file')!;
    expect(describeKept(audit)).to.equal(
      'apiServer flag --audit-policy-file=/etc/kubernetes/audit/policy.yaml is in kube-system/kubeadm-config but not rendered from the manifest, and kubeone has no record of setting it: kept (set features.staticAuditLog.enable to false to have kubeone remove it)',
    );
    expect(describeKept(merged.kept.find((k) => k.name === 'encryption-provider-config')!)).to.contain('never removes it on its own');
  });

  it('removes the flags and volumes the record says kubeone rendered before', () => {
    const record = emptyRecord();
    record.controlPlane.flags.apiServer = ['audit-log-maxage', 'audit-log-path', 'profiling', 'oidc-issuer-url'];
    record.controlPlane.volumes.apiServer = ['log'];
    const merged = withUnownedLiveSettings(rendered(), kubeOneLive({ 'oidc-issuer-url': 'https://idp.example' }), record, cluster());
    expect(argNames(merged.clusterConfiguration)).to.deep.equal(['audit-log-maxbackup', 'audit-log-maxsize', 'audit-policy-file', 'encryption-provider-config', 'profiling']);
    expect(volumeNames(merged.clusterConfiguration)).to.deep.equal(['audit-conf', 'encryption-providers-conf']);
  });

  it('removes the flags and volumes of a feature the manifest explicitly turns off, and only then', () => {
    const off = withUnownedLiveSettings(rendered(), kubeOneLive(), null, cluster({ staticAuditLog: { enable: false } }));
    expect(argNames(off.clusterConfiguration)).to.deep.equal(['encryption-provider-config', 'profiling']);
    expect(volumeNames(off.clusterConfiguration)).to.deep.equal(['encryption-providers-conf']);
    // Not mentioned is not "off": nothing is removed.
    const silent = withUnownedLiveSettings(rendered(), kubeOneLive(), null, cluster({ staticAuditLog: {} }));
    expect(argNames(silent.clusterConfiguration)).to.include('audit-policy-file');
  });

  it('never drops the encryption configuration by the record, even when kubeone rendered it before', () => {
    const record = emptyRecord();
    record.controlPlane.flags.apiServer = ['encryption-provider-config'];
    record.controlPlane.volumes.apiServer = ['encryption-providers-conf'];
    const merged = withUnownedLiveSettings(rendered(), kubeOneLive(), record, cluster({}));
    expect(argNames(merged.clusterConfiguration)).to.include('encryption-provider-config');
    expect(volumeNames(merged.clusterConfiguration)).to.include('encryption-providers-conf');
    expect(describeKept(merged.kept.find((k) => k.name === 'encryption-provider-config')!)).to.contain('set to false kubeone decrypts every Secret first');
  });

  it('drops it only when the manifest turns encryption off and it names a file kubeone manages (its disable procedure)', () => {
    const off = withUnownedLiveSettings(rendered(), kubeOneLive(), null, cluster({ encryptionProviders: { enable: false } }));
    expect(argNames(off.clusterConfiguration)).not.to.include('encryption-provider-config');
    expect(volumeNames(off.clusterConfiguration)).not.to.include('encryption-providers-conf');
    // A configuration elsewhere is someone else's: kept even with enable: false (the encryption planner refuses to touch it).
    const foreign = kubeOneLive({ 'encryption-provider-config': '/etc/secret/enc.yaml' });
    (foreign.apiServer as { extraVolumes: { name: string; hostPath: string }[] }).extraVolumes[2]!.hostPath = '/etc/secret';
    const kept = withUnownedLiveSettings(rendered(), foreign, null, cluster({ encryptionProviders: { enable: false } }));
    expect(argNames(kept.clusterConfiguration)).to.include('encryption-provider-config');
    expect(volumeNames(kept.clusterConfiguration)).to.include('encryption-providers-conf');
  });

  it('a rendered flag wins over the live value; without a live configuration (a new cluster) the render is used as is', () => {
    const merged = withUnownedLiveSettings(rendered(), clusterConfiguration({ profiling: 'true' }), null, cluster());
    expect(merged.clusterConfiguration).to.deep.equal(rendered());
    expect(merged.kept).to.deep.equal([]);
    expect(withUnownedLiveSettings(rendered(), null, null, cluster())).to.deep.equal({ clusterConfiguration: rendered(), kept: [] });
  });

  it('keeps repeated flags (kubeadm v1beta4 lists) entry by entry', () => {
    const live = clusterConfiguration({ profiling: 'false' });
    (live.apiServer as { extraArgs: { name: string; value: string }[] }).extraArgs.push({ name: 'runtime-config', value: 'a=true' }, { name: 'runtime-config', value: 'b=true' });
    const merged = withUnownedLiveSettings(rendered(), live, null, cluster());
    expect((merged.clusterConfiguration.apiServer as { extraArgs: unknown[] }).extraArgs).to.deep.equal([
      { name: 'profiling', value: 'false' },
      { name: 'runtime-config', value: 'a=true' },
      { name: 'runtime-config', value: 'b=true' },
    ]);
    expect(merged.kept).to.deep.equal([{ component: 'apiServer', kind: 'flag', name: 'runtime-config', value: 'a=true,b=true' }]);
  });

  it('names the flags and volumes of a configuration per component', () => {
    expect(settingNames(kubeOneLive())).to.deep.equal({
      flags: { apiServer: ['audit-log-maxage', 'audit-log-maxbackup', 'audit-log-maxsize', 'audit-log-path', 'audit-policy-file', 'encryption-provider-config', 'profiling'] },
      volumes: { apiServer: ['audit-conf', 'encryption-providers-conf', 'log'] },
    });
  });
});

describe('the ownership record', () => {
  it('round-trips through its stored text in one canonical form', () => {
    const r = emptyRecord();
    r.addons = { b: ['x', 'a', 'a'], a: [], '': ['/ConfigMap/default/root'] };
    r.nodes = { n2: { labels: ['z', 'y'], annotations: [], taints: [] }, n1: { labels: [], annotations: [], taints: [] } };
    const parsed = parseRecord(serializeRecord(r));
    expect(parsed.error).to.equal(undefined);
    expect(parsed.record).to.deep.equal(canonicalRecord(r));
    expect(parsed.record!.addons).to.deep.equal({ '': ['/ConfigMap/default/root'], b: ['a', 'x'] });
    expect(Object.keys(parsed.record!.nodes)).to.deep.equal(['n2']);
    expect(sameRecord(r, parsed.record)).to.equal(true);
    expect(sameRecord(null, undefined)).to.equal(true);
    expect(sameRecord(null, r)).to.equal(false);
  });

  it('compares records as their canonical forms, whether or not they are canonical already', () => {
    const names = fc.constantFrom('a', 'b', 'c', 'a:NoSchedule', '10', '9', '');
    const list = fc.array(names, { maxLength: 3 });
    const record = fc.record({
      addons: fc.dictionary(names, list, { maxKeys: 3 }),
      nodes: fc.dictionary(names, fc.record({ labels: list, annotations: list, taints: list }), { maxKeys: 3 }),
      files: list,
      flags: fc.dictionary(fc.constantFrom('apiServer', 'etcd'), list, { maxKeys: 2 }),
      helmReleases: fc.option(list, { nil: undefined }),
    }).map(({ addons, nodes, files, flags, helmReleases }) => ({
      ...emptyRecord(),
      addons,
      nodes,
      controlPlane: { flags, volumes: {}, files },
      ...(helmReleases ? { helmReleases } : {}),
    }));
    fc.assert(
      fc.property(record, record, (a, b) => {
        const same = JSON.stringify(canonicalRecord(a)) === JSON.stringify(canonicalRecord(b));
        expect(sameRecord(a, b)).to.equal(same);
        expect(sameRecord(canonicalRecord(a), b)).to.equal(same);
        expect(sameRecord(a, canonicalRecord(a))).to.equal(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('reads anything that is not a valid record as no record, with the reason', () => {
    expect(parseRecord('{').error).to.match(/ConfigMap kube-system\/kubeone-ownership: record\.json is not JSON/);
    expect(parseRecord(JSON.stringify({ ...emptyRecord(), formatVersion: 'kubeone.ownership/v9' })).error).to.match(/formatVersion "kubeone\.ownership\/v9"/);
    const bad = parseRecord(JSON.stringify({ ...emptyRecord(), addons: { x: [1] } }));
    expect(bad.record).to.equal(null);
    expect(bad.error).to.match(/\/addons\/x\/0: must be string/);
    expect(parseRecord(JSON.stringify({ ...emptyRecord(), extra: true })).record).to.equal(null);
  });
});
