import { expect } from 'chai';
import { ConfigError, formatIssue, type Issue } from './errors.js';
import { parseManifest } from './parse.js';

const HEAD = 'apiVersion: kubeone.k8c.io/v1beta2\nkind: KubeOneCluster\n';

function decodeIssues(text: string): Issue[] {
  try {
    return parseManifest(text, 'k.yaml').issues;
  } catch (e) {
    expect(e).to.be.instanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
}

describe('parseManifest', () => {
  it('decodes a manifest and records the line and column of every field', () => {
    const p = parseManifest(`${HEAD}name: a\ncontrolPlane:\n  hosts:\n  - publicAddress: 1.2.3.4\n    sshPort: 2222\n`, 'k.yaml');
    expect(p.cluster.controlPlane!.hosts![0]).to.deep.equal({ publicAddress: '1.2.3.4', sshPort: 2222 });
    expect(p.positions.get('controlPlane.hosts[0].sshPort')).to.deep.equal({ line: 7, col: 5 });
    expect(p.issues).to.deep.equal([]);
  });
  it('rejects unknown fields with their path, line and column', () => {
    const issues = decodeIssues(`${HEAD}name: a\ncontrolPlane:\n  hosts:\n  - publicAdress: 1.2.3.4\n`);
    expect(issues).to.deep.equal([{ path: 'controlPlane.hosts[0].publicAdress', message: 'unknown field "publicAdress"', file: 'k.yaml', line: 6, col: 5 }]);
    expect(formatIssue(issues[0]!)).to.equal('k.yaml:6:5: controlPlane.hosts[0].publicAdress: unknown field "publicAdress"');
  });
  it('rejects duplicate keys with line:column', () => {
    const issues = decodeIssues(`${HEAD}name: a\nname: b\n`);
    expect(issues[0]).to.include({ line: 4, file: 'k.yaml' });
    expect(issues[0]!.message).to.match(/duplicate key/);
  });
  it('rejects wrong types (Go strict decoding)', () => {
    const issues = decodeIssues(`${HEAD}apiEndpoint:\n  port: "6443"\nversions:\n  kubernetes: 1.35\n`);
    expect(issues.map((i) => [i.path, i.message])).to.deep.equal([
      ['apiEndpoint.port', 'must be an integer'],
      ['versions.kubernetes', 'must be a string'],
    ]);
  });
  it('reports TypeMeta problems with KubeOne messages', () => {
    expect(decodeIssues('name: x\n')[0]!.message).to.equal('apiVersion and kind must be present in the manifest');
    expect(decodeIssues('apiVersion: kubeone.k8c.io/v1beta2\nkind: Pod\n')[0]!.message).to.equal('provided object "Pod" is not KubeOneCluster object');
    expect(decodeIssues('apiVersion: kubeone.k8c.io/v1beta1\nkind: KubeOneCluster\n')[0]!.message).to.equal('provided apiVersion "kubeone.k8c.io/v1beta1" is not supported');
    expect(decodeIssues('apiVersion: kubeone.k8c.io/v1beta3\nkind: KubeOneCluster\n')[0]!.message).to.match(/not supported/);
  });
  it('gives clear errors for empty input, a list, a scalar and broken YAML', () => {
    expect(decodeIssues('')[0]!.message).to.equal('apiVersion and kind must be present in the manifest');
    expect(decodeIssues('- a\n- b\n')[0]!.message).to.match(/must be a YAML mapping.*found a list/);
    expect(decodeIssues('just text\n')[0]!.message).to.match(/must be a YAML mapping.*found a string/);
    const broken = decodeIssues(`${HEAD}name: [a\n`);
    expect(broken[0]).to.have.property('line');
  });
  it('rejects an unsupported operating system (e.g. Amazon Linux) but keeps decoding', () => {
    const p = parseManifest(`${HEAD}controlPlane:\n  hosts:\n  - publicAddress: a\n    operatingSystem: amzn2\n`, 'k.yaml');
    expect(p.issues[0]).to.include({ path: 'controlPlane.hosts[0].operatingSystem', line: 6 });
    expect(p.issues[0]!.message).to.match(/^unsupported value "amzn2"; supported values: /);
  });
  it('accepts containerRuntime.docker (ignored later) and YAML 1.1 booleans like Go', () => {
    const p = parseManifest(`${HEAD}containerRuntime:\n  docker: {}\nmachineController:\n  deploy: no\n`, 'k.yaml');
    expect(p.cluster.machineController!.deploy).to.equal(false);
  });
  it('treats null members as unset', () => {
    const p = parseManifest(`${HEAD}name: a\ncloudProvider:\n  none:\n`, 'k.yaml');
    expect(p.cluster.cloudProvider).to.deep.equal({});
  });
  it('reports non-string map keys', () => {
    expect(decodeIssues(`${HEAD}? [a, b]\n: c\n`)[0]!.message).to.match(/keys must be plain strings/);
  });
});

describe('parseManifest: YAML aliases', () => {
  it('reports an unresolved alias or an alias bomb as a configuration error', () => {
    const issues = decodeIssues(`${HEAD}name: *nope\n`);
    expect(issues[0]!.message).to.match(/alias|anchor/i);
    const bomb = `${HEAD}a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n`;
    expect(decodeIssues(bomb)[0]!.message).to.match(/alias|invalid YAML/i);
  });
});

describe('parseManifest: bounded decoding (hostile shapes under the size limit)', () => {
  it('refuses a second document: "the manifest must be a single YAML document"', () => {
    const issues = decodeIssues(`${HEAD}name: a\n---\nname: b\n`);
    expect(issues).to.have.length(1);
    expect(issues[0]).to.include({ line: 4, col: 1, file: 'k.yaml' });
    expect(issues[0]!.message).to.equal('the manifest must be a single YAML document (found a second document)');
    // A trailing document separator with nothing after it is not a second document.
    expect(decodeIssues(`${HEAD}name: a\n---\n`)).to.deep.equal([]);
  });
  it('refuses deep nesting with one error, whatever the kind of collection', () => {
    for (const text of [
      `${HEAD}caBundle: ${'['.repeat(200_000)}${']'.repeat(200_000)}\n`,
      `${HEAD}caBundle: ${'['.repeat(200_000)}\n`,
      `${HEAD}x: ${'{a: '.repeat(5_000)}1${'}'.repeat(5_000)}\n`,
      `${HEAD}${Array.from({ length: 500 }, (_, i) => `${' '.repeat(i)}a:\n`).join('')}`,
    ]) {
      const issues = decodeIssues(text);
      expect(issues, text.slice(0, 80)).to.have.length(1);
      expect(issues[0]!.message).to.match(/^the manifest nests collections more than 64 levels deep$/);
      expect(issues[0]).to.have.property('line');
    }
  });
  it('accepts nesting up to the limit', () => {
    const p = parseManifest(`${HEAD}name: a\nhelmReleases:\n- chart: c\n  namespace: ns\n  values:\n  - inline: ${'['.repeat(58)}1${']'.repeat(58)}\n`, 'k.yaml');
    expect(p.cluster.helmReleases![0]!.values![0]!.inline).to.be.an('array');
  });
  it('finds duplicate keys among many in linear time, each with its position', () => {
    const keys = Array.from({ length: 45_000 }, (_, i) => `  k${i}: v\n`).join('');
    const start = process.hrtime.bigint();
    const issues = decodeIssues(`${HEAD}addons:\n  globalParams:\n${keys}  k7: again\n`);
    // Generous bound: the quadratic check took minutes for this size.
    expect(Number(process.hrtime.bigint() - start) / 1e9).to.be.below(10);
    expect(issues).to.have.length(1);
    expect(issues[0]).to.include({ line: 45_005, col: 3 });
    expect(issues[0]!.message).to.match(/duplicate key/);
  });
  it('treats keys that collide as JS properties (1 and "1") as duplicates', () => {
    expect(decodeIssues(`${HEAD}addons:\n  globalParams:\n    1: a\n    "1": b\n`)[0]!.message).to.match(/duplicate key/);
  });
  it('refuses more than 100,000 scalars before composing them', () => {
    const issues = decodeIssues(`${HEAD}addons:\n  globalParams:\n${Array.from({ length: 60_000 }, (_, i) => `    k${i}: v\n`).join('')}`);
    expect(issues).to.have.length(1);
    expect(issues[0]!.message).to.equal('the manifest has more than 100000 YAML scalars (keys and values)');
    expect(issues[0]).to.include({ line: 50_002 }); // the key of the 100,001st scalar
  });
  it('refuses more than 1000 aliases', () => {
    const issues = decodeIssues(`${HEAD}x:\n- &a 1\n${'- *a\n'.repeat(1001)}`);
    expect(issues[0]!.message).to.equal('the manifest uses more than 1000 YAML aliases');
  });
  it('lists at most 100 problems, then says how many more there are', () => {
    const issues = decodeIssues(`${HEAD}${Array.from({ length: 500 }, (_, i) => `k${i}: v\n`).join('')}`);
    expect(issues).to.have.length(101);
    expect(issues[100]!.message).to.equal('... and 400 more problems (only the first 100 are listed)');
  });
});
