import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { expect } from 'chai';

import { exitCodeOf } from '../errors/exit-codes.js';
import { copyArgs, isLoopbackRegistry, skopeo, SkopeoError, skopeoMessage, SkopeoUnavailableError } from './skopeo.js';

/** A stand-in executable: records its argv (one per line) and plays `body` (sh). */
function fakeBinary(dir: string, body: string): string {
  const file = join(dir, 'skopeo');
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\n' "$@" > "${join(dir, 'argv')}"\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('skopeo', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'skopeo-test-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  describe('copyArgs', () => {
    it('copies every platform of an index, keeps digests, verifies TLS at remote registries', () => {
      expect(copyArgs({ source: 'registry.k8s.io/pause:3.10.1', destination: 'mirror.corp:5000/pause:3.10.1', insecure: false, digestFile: '/tmp/d' })).to.deep.equal([
        'copy',
        '--all',
        '--preserve-digests',
        '--quiet',
        '--retry-times=4',
        '--src-tls-verify=true',
        '--dest-tls-verify=true',
        '--digestfile=/tmp/d',
        '--',
        'docker://registry.k8s.io/pause:3.10.1',
        'docker://mirror.corp:5000/pause:3.10.1',
      ]);
    });

    it('--insecure turns TLS verification off at both ends; a loopback registry never verifies (plain HTTP, as crane)', () => {
      const insecure = copyArgs({ source: 'quay.io/calico/node:v3.32.0', destination: 'mirror.corp/calico/node:v3.32.0', insecure: true });
      expect(insecure).to.include.members(['--src-tls-verify=false', '--dest-tls-verify=false']);
      const loopback = copyArgs({ source: 'quay.io/calico/node:v3.32.0', destination: '127.0.0.1:5000/calico/node:v3.32.0', insecure: false });
      expect(loopback).to.include.members(['--src-tls-verify=true', '--dest-tls-verify=false']);
      expect(isLoopbackRegistry('localhost:5000')).to.equal(true);
      expect(isLoopbackRegistry('127.3.2.1')).to.equal(true);
      expect(isLoopbackRegistry('127.example.com')).to.equal(false);
      expect(isLoopbackRegistry('mirror.corp')).to.equal(false);
    });

    it('normalizes Docker Hub names and keeps digest references', () => {
      const digest = `sha256:${'a'.repeat(64)}`;
      const args = copyArgs({ source: `nginx@${digest}`, destination: `mirror.corp/library/nginx@${digest}`, insecure: false });
      expect(args.slice(-2)).to.deep.equal([`docker://docker.io/library/nginx@${digest}`, `docker://mirror.corp/library/nginx@${digest}`]);
    });

    it('refuses references that are not image references before anything runs', () => {
      for (const bad of ['mirror.corp/x:$(touch /tmp/pwned)', 'mirror.corp/x y:1', '--src-creds=a:b', 'mirror.corp/../x:1', 'mirror.corp/X:1', '']) {
        expect(() => copyArgs({ source: 'registry.k8s.io/pause:3.10.1', destination: bad, insecure: false }), bad).to.throw(SkopeoError, /invalid image reference/);
        expect(() => copyArgs({ source: bad, destination: 'mirror.corp/pause:3.10.1', insecure: false }), bad).to.throw(SkopeoError, /invalid image reference/);
      }
    });
  });

  it("skopeoMessage takes skopeo's fatal line, unescaped, else the end of stderr", () => {
    expect(skopeoMessage('time="2026-01-01T00:00:00Z" level=fatal msg="initializing source docker://a/b:1: reading manifest 1 in a/b: manifest unknown: \\"x\\""\n')).to.equal(
      'initializing source docker://a/b:1: reading manifest 1 in a/b: manifest unknown: "x"',
    );
    expect(skopeoMessage('one\ntwo\n\n')).to.equal('one two');
  });

  it('a missing binary: exit 16, the binary named, how to install it', async () => {
    const missing = join(dir, 'no-such-skopeo');
    const error = await skopeo({ binary: missing }).version().then(
      () => expect.fail('version() of a missing binary resolved'),
      (e: unknown) => e,
    );
    expect(error).to.be.instanceOf(SkopeoUnavailableError);
    expect(exitCodeOf(error)).to.equal(16);
    expect((error as Error).message).to.include(missing).and.include('apt install skopeo').and.include('--skopeo-binary');
  });

  it('a binary that is not skopeo is refused by its --version answer', async () => {
    const binary = fakeBinary(dir, 'echo "hello"');
    const error = await skopeo({ binary }).version().catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SkopeoUnavailableError);
    expect((error as Error).message).to.match(/printed "hello", not a skopeo version/);
    const ok = fakeBinary(dir, 'echo "skopeo version 1.9.3"');
    expect(await skopeo({ binary: ok }).version()).to.equal('1.9.3');
  });

  it('copy runs the argv as given (no shell) in the given environment and returns the digest skopeo wrote', async () => {
    const binary = fakeBinary(dir, `for a in "$@"; do case "$a" in --digestfile=*) printf 'sha256:%s\\n' "$MARK" > "\${a#--digestfile=}";; esac; done`);
    const digest = await skopeo({ binary, env: { PATH: process.env.PATH, MARK: 'b'.repeat(64) } }).copy(
      { source: 'registry.k8s.io/pause:3.10.1', destination: 'mirror.corp/pause:3.10.1', insecure: false },
      join(dir, 'digest'),
    );
    expect(digest).to.equal(`sha256:${'b'.repeat(64)}`);
    expect(readFileSync(join(dir, 'argv'), 'utf8').trim().split('\n')).to.deep.equal(
      copyArgs({ source: 'registry.k8s.io/pause:3.10.1', destination: 'mirror.corp/pause:3.10.1', insecure: false, digestFile: join(dir, 'digest') }),
    );
  });

  it("a failed copy carries skopeo's message without credentials; an invalid reference never starts skopeo", async () => {
    const binary = fakeBinary(
      dir,
      `echo 'time="x" level=fatal msg="writing blob: https://bob:hunter22@mirror.corp/v2/: unauthorized (Authorization: Bearer eyJhbGciOi.payload.sig)"' >&2; exit 1`,
    );
    const error = await skopeo({ binary })
      .copy({ source: 'registry.k8s.io/pause:3.10.1', destination: 'mirror.corp/pause:3.10.1', insecure: false }, join(dir, 'digest'))
      .catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SkopeoError);
    expect((error as Error).message).to.include('writing blob').and.include('unauthorized');
    expect((error as Error).message).to.not.include('hunter22').and.not.include('eyJhbGciOi');
    rmSync(join(dir, 'argv'));
    await skopeo({ binary })
      .copy({ source: 'registry.k8s.io/pause:3.10.1', destination: 'mirror.corp/pause:`id`', insecure: false }, join(dir, 'digest'))
      .then(() => expect.fail('copied an invalid reference'), (e: Error) => expect(e.message).to.match(/invalid image reference/));
    expect(existsSync(join(dir, 'argv'))).to.equal(false);
  });
});
