import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect } from 'chai';

import { ENCRYPTION_DIR } from '../encryption/config.js';
import type { ResolvedHost } from '../api/types.js';
import { parseHostOutput } from './host-facts.js';
import { DEFAULT_MANAGED_PATHS, managedPathList, renderHostScript } from './host-script.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const golden = path.join(here, 'testdata', 'host-script.golden.sh');

describe('pkg/probe host script', () => {
  it('renders the golden script (UPDATE_GOLDEN=1 rewrites it)', () => {
    const script = renderHostScript();
    if (process.env.UPDATE_GOLDEN) writeFileSync(golden, script);
    expect(script).to.equal(readFileSync(golden, 'utf8'));
  });

  it('is valid bash', () => {
    execFileSync('bash', ['-n'], { input: renderHostScript({ managedPaths: ['/etc/a b/*.conf'] }) });
  });

  it('always hashes the files component facts need and sorts/dedupes the list', () => {
    const list = managedPathList(['/etc/x.conf', '/etc/containerd/config.toml']);
    expect(list).to.deep.equal(['/etc/containerd/config.toml', '/etc/x.conf', '/var/lib/kubelet/config.yaml', '/var/lib/kubelet/kubeadm-flags.env']);
    expect(managedPathList()).to.include.members(DEFAULT_MANAGED_PATHS);
  });

  it('refuses managed paths that could break out of the script', () => {
    expect(() => renderHostScript({ managedPaths: ["/etc/x'; rm -rf /; '"] })).to.throw(/absolute and plain/);
    expect(() => renderHostScript({ managedPaths: ['relative/path'] })).to.throw(/absolute/);
  });

  it('runs on this machine and prints one JSON object of string leaves, hashing glob matches', () => {
    const tmp = execFileSync('mktemp', ['-d']).toString().trim();
    writeFileSync(path.join(tmp, 'one.conf'), 'a');
    writeFileSync(path.join(tmp, 'two.conf'), 'b');
    const out = execFileSync('bash', ['-s'], { input: renderHostScript({ managedPaths: [`${tmp}/*.conf`] }) }).toString();
    const parsed = JSON.parse(out) as Record<string, unknown>;
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value === 'object') expect(Object.values(value as object).every((v) => typeof v === 'string'), key).to.equal(true);
      else expect(value, key).to.be.a('string');
    }
    const files = parsed.files as Record<string, string>;
    expect(files[`${tmp}/one.conf`]).to.equal('ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb');
    expect(files[`${tmp}/two.conf`]).to.match(/^[0-9a-f]{64}$/);
    expect(out.trim().split('\n')).to.have.length(1);
    execFileSync('rm', ['-rf', tmp]);
  });

  it('reads the background jobs through pipes (no temp files) and runs hostname -f only when asked', function () {
    let fqdn: string;
    try {
      fqdn = execFileSync('hostname', ['-f'], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    } catch {
      this.skip();
    }
    const script = renderHostScript();
    expect(script).not.to.match(/\$\(mktemp|rm -rf /);
    const detected = JSON.parse(execFileSync('bash', ['-s'], { input: script }).toString()) as Record<string, string>;
    expect(detected.fqdn).to.equal(fqdn);
    const named = renderHostScript({ detectFqdn: false });
    expect(named).not.to.contain('bg fqdn');
    expect(script).to.contain('bg fqdn timeout 5 hostname -f');
    expect((JSON.parse(execFileSync('bash', ['-s'], { input: named }).toString()) as Record<string, string>).fqdn).to.equal('');
  });

  it('reads encryption configurations without letting key material off the host: fingerprints, or nothing at all', () => {
    const tmp = execFileSync('mktemp', ['-d']).toString().trim();
    const key = Buffer.alloc(32, 7).toString('base64');
    const ours = [
      'apiVersion: apiserver.config.k8s.io/v1',
      'kind: EncryptionConfiguration',
      'resources:',
      '- resources:',
      '  - secrets',
      '  providers:',
      '  - aescbc:',
      '      keys:',
      '      - name: kubeone-new',
      `        secret: ${key}`,
      '      - name: kubeone-old',
      `        secret: "${Buffer.alloc(32, 9).toString('base64')}"`,
      '  - identity: {}',
      '',
    ].join('\n');
    writeFileSync(path.join(tmp, 'encryption-providers.yaml'), ours);
    // Flow style: the probe cannot tell keys from names on such a line, so it reports nothing of it.
    writeFileSync(path.join(tmp, 'custom-encryption-providers.yaml'), `apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - aescbc: {keys: [{name: k, secret: ${key}}]}\n`);
    const script = renderHostScript().replaceAll(ENCRYPTION_DIR, tmp);
    const out = execFileSync('bash', ['-s'], { input: script }).toString();
    expect(out).not.to.include(key);
    expect(out).not.to.include(key.slice(0, 12));
    const host: ResolvedHost = { id: 0, name: 'cp-1', role: 'controlPlane', config: { privateAddress: '10.0.0.1' } };
    const { facts } = parseHostOutput(host, JSON.parse(out));
    const fp = (k: string) => execFileSync('sha256sum', { input: k }).toString().slice(0, 16);
    expect(facts.encryption?.files[`${tmp}/encryption-providers.yaml`]?.summary).to.deep.equal({
      resources: [
        {
          resources: ['secrets'],
          providers: [
            { type: 'aescbc', keys: [{ name: 'kubeone-new', fingerprint: fp(key) }, { name: 'kubeone-old', fingerprint: fp(Buffer.alloc(32, 9).toString('base64')) }] },
            { type: 'identity' },
          ],
        },
      ],
    });
    expect(facts.encryption?.files[`${tmp}/encryption-providers.yaml`]?.sha256).to.equal(execFileSync('sha256sum', { input: ours }).toString().slice(0, 64));
    expect(facts.encryption?.files[`${tmp}/custom-encryption-providers.yaml`]?.summary).to.equal(null);
    expect(facts.encryption?.flag).to.equal('');
    execFileSync('rm', ['-rf', tmp]);
  });
});
