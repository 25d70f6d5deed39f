// Acceptance: every reference manifest gives the result its README states under v1.14 rules.
import { expect } from 'chai';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './errors.js';
import { loadCluster } from './load.js';
import { FULL_TEMPLATE_VALUES, renderTemplate } from './testing/render-template.js';
import { allExampleCredentials } from '../addons/testing/providers.js';

const REF = '/work/shared/reference/manifests';
const TF = new URL('./testdata/tf/', import.meta.url).pathname;
const work = mkdtempSync(join(tmpdir(), 'kubeone-manifests-'));

/** Writes a manifest (template rendered) into a scratch dir and returns its path. */
function stage(name: string): string {
  const text = renderTemplate(readFileSync(join(REF, name), 'utf8'), FULL_TEMPLATE_VALUES);
  const path = join(work, name.replace('.tmpl', ''));
  writeFileSync(path, text);
  return path;
}

async function issuesOf(manifestPath: string, tfjson?: string): Promise<{ path: string; message: string; line?: number }[]> {
  try {
    // Every provider's example credentials in the environment (KubeOne reads them from there too).
    await loadCluster({ manifestPath, ...(tfjson ? { tfjson } : {}), env: allExampleCredentials() });
    return [];
  } catch (e) {
    if (e instanceof ConfigError) return e.issues;
    throw e;
  }
}

const has = (issues: { path: string; message: string }[], path: string, re: RegExp) =>
  issues.some((i) => i.path === path && re.test(i.message));

describe('reference manifests (../shared/reference/manifests)', () => {
  it('01 full reference: strict-decodes once rendered; fails only for missing hosts (and addons dir) standalone', async () => {
    const issues = await issuesOf(stage('01-kubeone-config-print-full.tmpl.yaml'));
    expect(has(issues, 'controlPlane', /Hosts or .controlPlane.NodeSets is a required field/)).to.equal(true);
    // No decoding problem: every field of the full reference is known to the schema.
    expect(issues.filter((i) => /^unknown field|^must be an? (string|boolean|integer|object|array)|duplicate key/.test(i.message))).to.deep.equal([]);
    expect(has(issues, 'addons.path', /does not exist/)).to.equal(true);
    mkdirSync(join(work, 'addons'), { recursive: true });
    expect(has(await issuesOf(join(work, '01-kubeone-config-print-full.yaml')), 'addons.path', /does not exist/)).to.equal(false);
  });

  it('02 cilium: needs tf; invalid standalone (name, provider, hosts); with tf output it loads, kubeone_workers as dynamicWorkers', async () => {
    const path = stage('02-e2e-cilium-kube-proxy-replacement.yaml');
    const alone = await issuesOf(path);
    expect(has(alone, 'name', /no cluster name/)).to.equal(true);
    expect(has(alone, 'cloudProvider', /provider must be specified/)).to.equal(true);
    expect(has(alone, 'controlPlane', /required/)).to.equal(true);
    expect(await issuesOf(path, join(TF, 'aws-3cp.json'))).to.deep.equal([]);
  });

  it('03 flannel + helm: invalid standalone; with tf output it loads (AWS, kubeone_workers and the Helm release)', async () => {
    const path = stage('03-e2e-external-cni-flannel-helm.yaml');
    expect((await issuesOf(path)).length).to.be.greaterThan(0);
    expect(await issuesOf(path, join(TF, 'aws-3cp.json'))).to.deep.equal([]);
  });

  it('04 init golden: v1.24.4 is below 1.34 after trimming v, and no hosts', async () => {
    const issues = await issuesOf(stage('04-init-golden-aws-canal-features-addons.yaml'));
    expect(has(issues, 'versions.kubernetes', /1\.24\.4 is not supported.*older KubeOne/)).to.equal(true);
    expect(has(issues, 'controlPlane', /required/)).to.equal(true);
    expect(issues.find((i) => i.path === 'versions.kubernetes')!.line).to.equal(6);
  });

  it('05 three hosts only: several errors aggregated in one report', async () => {
    const issues = await issuesOf(stage('05-config-testdata-three-hosts-only.yaml'));
    expect(has(issues, 'name', /no cluster name/)).to.equal(true);
    expect(has(issues, 'cloudProvider', /provider must be specified/)).to.equal(true);
    expect(has(issues, 'versions.kubernetes', /1\.30\.1 is not supported/)).to.equal(true);
    expect(issues.some((i) => i.path.startsWith('controlPlane.hosts'))).to.equal(false);
  });

  it('05 defaulting: address mirroring, leader and apiEndpoint from host[0]', async () => {
    const path = stage('05-config-testdata-three-hosts-only.yaml');
    const fixed = readFileSync(path, 'utf8').replace('1.30.1', '1.35.1') + 'name: three\ncloudProvider:\n  none: {}\n';
    writeFileSync(path, fixed);
    const loaded = await loadCluster({ manifestPath: path, env: {} });
    const hosts = loaded.cluster.controlPlane!.hosts!;
    expect(hosts.map((h) => h.privateAddress)).to.deep.equal(['api1.mycluster.tld', 'api2.mycluster.tld', 'api3.mycluster.tld']);
    expect(hosts.map((h) => !!h.isLeader)).to.deep.equal([true, false, false]);
    expect(loaded.cluster.apiEndpoint).to.deep.equal({ host: 'api1.mycluster.tld', port: 6443 });
  });

  it('06 bare metal: valid standalone', async () => {
    const loaded = await loadCluster({ manifestPath: stage('06-docs-baremetal-static-workers.yaml'), env: {} });
    expect(loaded.cluster.apiEndpoint!.host).to.equal('1.2.3.4');
    expect(loaded.hosts.map((h) => [h.role, h.name])).to.deep.equal([['controlPlane', '1.2.3.4'], ['staticWorker', '1.2.3.5']]);
  });

  it('07 vsphere: external CCM and CSI with cloudConfig and csiConfig; needs tf for name and hosts', async () => {
    const path = stage('07-docs-vsphere-external-ccm-csi.yaml');
    const alone = await issuesOf(path);
    expect(alone.filter((i) => i.path.startsWith('cloudProvider'))).to.deep.equal([]);
    expect(has(alone, 'name', /no cluster name/)).to.equal(true);
    expect(await issuesOf(path, join(TF, 'vsphere.json'))).to.deep.equal([]);
  });

  it('08 hetzner oidc + static audit: the policy file must exist beside it (KubeOne uploads it); then it loads, kubeone_workers included', async () => {
    const path = stage('08-docs-hetzner-oidc-static-audit.yaml');
    expect((await issuesOf(path)).length).to.be.greaterThan(0);
    const missing = await issuesOf(path, join(TF, 'hetzner.json'));
    expect(has(missing, 'features.staticAuditLog.config.policyFilePath', /audit-policy\.yaml: no such file/)).to.equal(true);
    writeFileSync(join(work, 'audit-policy.yaml'), 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n');
    expect(await issuesOf(path, join(TF, 'hetzner.json'))).to.deep.equal([]);
  });

  it('09 aws mirrors with auth: with tf output it loads, kubeone_workers as dynamicWorkers', async () => {
    const path = stage('09-docs-aws-containerd-mirror-auth.yaml');
    expect(has(await issuesOf(path), 'name', /no cluster name/)).to.equal(true);
    expect(await issuesOf(path, join(TF, 'aws-3cp.json'))).to.deep.equal([]);
  });

  it('10 same machine as CP and static worker: rejected on public, private and hostname', async () => {
    const issues = await issuesOf(stage('10-docs-INVALID-same-host-cp-and-static-worker.yaml'));
    expect(has(issues, 'staticWorkers.hosts[0].publicAddress', /same machine/)).to.equal(true);
    expect(has(issues, 'staticWorkers.hosts[0].privateAddress', /already used/)).to.equal(true);
    expect(has(issues, 'staticWorkers.hosts[0].hostname', /already used/)).to.equal(true);
    expect(has(issues, 'versions.kubernetes', /required/)).to.equal(true);
    expect(has(issues, 'cloudProvider', /must be specified/)).to.equal(true);
    expect(issues.find((i) => i.path === 'staticWorkers.hosts[0].hostname')!.line).to.equal(13);
  });

  it('11 encryption custom config: valid with tf output (the configuration is checked as the apiserver checks it)', async () => {
    const path = stage('11-docs-encryption-custom-config.yaml');
    expect(has(await issuesOf(path), 'cloudProvider', /must be specified/)).to.equal(true);
    expect(await issuesOf(path, join(TF, 'none-1cp.json'))).to.deep.equal([]);
    // A key of the wrong size would stop every apiserver: refused with its place, never its value.
    const short = join(work, '11-short-key.yaml');
    writeFileSync(short, readFileSync(path, 'utf8').replace('lsn9B5vaIePTsbH2cxxzB0EfbBIZkYplC1fwfiNksJo=', 'c2hvcnQ='));
    const issues = await issuesOf(short, join(TF, 'none-1cp.json'));
    expect(issues.map((i) => [i.path, i.message])).to.deep.equal([
      ['features.encryptionProviders.customEncryptionConfiguration', 'resources[0].providers[0].aescbc.keys[0].secret: a aescbc key must be 16, 24, 32 bytes, this one is 5'],
    ]);
    expect(JSON.stringify(issues)).not.to.include('c2hvcnQ=');
  });
});
