import { expect } from 'chai';
import { applyCredentials, parseCredentials } from './credentials.js';
import { formatIssue } from './errors.js';
import { baseCluster } from './testing/base-cluster.js';

describe('credentials file', () => {
  it('reads a flat map and falls back to provider variables from the environment', () => {
    const { credentials, issues } = parseCredentials('HCLOUD_TOKEN: from-file\nMC_AWS_ACCESS_KEY_ID: mc\n', 'c.yaml', {
      HCLOUD_TOKEN: 'from-env',
      AWS_SECRET_ACCESS_KEY: 'env-secret',
      HOME: '/root',
    });
    expect(issues).to.deep.equal([]);
    expect(credentials).to.deep.equal({ HCLOUD_TOKEN: 'from-file', MC_AWS_ACCESS_KEY_ID: 'mc', AWS_SECRET_ACCESS_KEY: 'env-secret' });
  });
  it('rejects non-string values without printing them', () => {
    const { issues } = parseCredentials('OS_PASSWORD:\n  nested: hunter2\n', 'c.yaml', {});
    expect(issues).to.have.length(1);
    expect(formatIssue(issues[0]!)).to.not.include('hunter2');
  });
  it('never echoes file content when the YAML is broken', () => {
    const { issues } = parseCredentials('OS_PASSWORD: "sup3rsecret\n', 'c.yaml', {});
    expect(issues).to.have.length(1);
    expect(JSON.stringify(issues)).to.not.include('sup3rsecret');
  });
  it('applies cloudConfig, and refuses it when the manifest sets one too', () => {
    expect(applyCredentials(baseCluster(), { cloudConfig: '[Global]' }, 'c.yaml').cluster.cloudProvider!.cloudConfig).to.equal('[Global]');
    const c = baseCluster();
    c.cloudProvider = { none: {}, cloudConfig: 'manifest' };
    expect(applyCredentials(c, { cloudConfig: 'file' }, 'c.yaml').issues[0]!.path).to.equal('cloudProvider.cloudConfig');
  });
  it('merges registriesAuth into containerd registries', () => {
    const registriesAuth = 'apiVersion: kubeone.k8c.io/v1beta2\nkind: ContainerRuntimeContainerd\nregistries:\n  my.tld:\n    auth:\n      username: u\n      password: p\n';
    const { cluster, issues } = applyCredentials(baseCluster(), { registriesAuth }, 'c.yaml');
    expect(issues).to.deep.equal([]);
    expect(cluster.containerRuntime!.containerd!.registries!['my.tld']!.auth).to.deep.equal({ username: 'u', password: 'p' });
    expect(applyCredentials(baseCluster(), { registriesAuth: 'kind: Other\n' }, 'c.yaml').issues[0]!.path).to.equal('registriesAuth');
  });
  it('requires customSecrets and addonParams to be YAML maps', () => {
    expect(applyCredentials(baseCluster(), { customSecrets: 'a: b\n', addonParams: 'x: {y: z}\n' }, 'c').issues).to.deep.equal([]);
    expect(applyCredentials(baseCluster(), { customSecrets: '- a\n' }, 'c').issues[0]!.path).to.equal('customSecrets');
  });
  it('decides on hostile credentials files quickly, without echoing them', () => {
    const deep = parseCredentials(`OS_PASSWORD: ${'['.repeat(500_000)}\n`, 'c.yaml', {});
    expect(deep.issues.map(formatIssue)).to.deep.equal(['c.yaml:1:78: the credentials file nests collections more than 64 levels deep']);
    const many = parseCredentials(Array.from({ length: 60_000 }, (_, i) => `K${i}: v\n`).join(''), 'c.yaml', {});
    expect(many.issues[0]!.message).to.equal('the credentials file has more than 100000 YAML scalars (keys and values)');
    const dup = parseCredentials('OS_PASSWORD: a\nOS_PASSWORD: hunter2\n', 'c.yaml', {});
    expect(dup.issues.map(formatIssue)).to.deep.equal(['c.yaml:2:1: duplicate key (map keys must be unique)']);
    const twoDocs = parseCredentials('A: b\n---\nOS_PASSWORD: hunter2\n', 'c.yaml', {});
    expect(twoDocs.issues[0]!.message).to.equal('the credentials file must be a single YAML document (found a second document)');
  });
});
