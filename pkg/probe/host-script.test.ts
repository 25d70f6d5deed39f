import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { expect } from 'chai';

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
});
