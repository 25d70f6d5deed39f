// kubeone mirror-images between two local registries (Debian's docker-registry on
// 127.0.0.1), copied by the real skopeo (Debian's package): the upstream registries are out
// of reach, so the source is a registry seeded with `docker import` images at the paths
// mirror-images writes, named with --source-registry. Judges: the registries' own answers
// (digests over plain HTTP) and the Docker engine pulling the copies.
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { expect } from 'chai';

import { type CliResult, KUBEONE_BIN, kubeone } from '../lifecycle/cli.js';
import { REPO_ROOT } from '../fleet/index.js';
import { type LocalRegistry, registryDigest, seedImage, startAuthFront, startRegistry } from './registry.js';

const run = promisify(execFile);
const VERSION = '1.35.1';
/** What kubeadm 1.35 pulls, at the paths mirror-images uses (the source side). */
const SOURCES = ['coredns/coredns:v1.13.1', 'etcd:3.6.6-0', `kube-apiserver:v${VERSION}`, `kube-controller-manager:v${VERSION}`, `kube-proxy:v${VERSION}`, `kube-scheduler:v${VERSION}`, 'pause:3.10.1'];

describe('kubeone mirror-images: between two local registries', function () {
  this.timeout(300_000);
  let source: LocalRegistry;
  let destination: LocalRegistry;
  let indexChildren: { digest: string }[] = [];
  const catalog = async (address: string): Promise<string[]> => ((await (await fetch(`http://${address}/v2/_catalog`)).json()) as { repositories: string[] }).repositories;
  /** The CLI with its own environment (where skopeo looks for registry credentials). */
  const kubeoneWithEnv = (args: string[], env: NodeJS.ProcessEnv): Promise<CliResult> =>
    new Promise((resolve) =>
      execFile(process.execPath, [KUBEONE_BIN, ...args], { cwd: REPO_ROOT, env: { PATH: process.env.PATH, NO_COLOR: '1', ...env } }, (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, signal: null, stdout, stderr }),
      ),
    );
  const split = (image: string): [string, string] => {
    const i = image.lastIndexOf(':');
    return [image.slice(0, i), image.slice(i + 1)];
  };

  before(async function () {
    if (!existsSync('/usr/bin/docker-registry')) throw new Error('docker-registry is missing: run bash hack/test-deps.sh');
    if (!existsSync('/usr/bin/skopeo')) throw new Error('skopeo is missing: run bash hack/test-deps.sh');
    if (!existsSync(KUBEONE_BIN)) throw new Error(`${KUBEONE_BIN} is missing: run npm run build`);
    [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
    for (const image of SOURCES) await seedImage(`${source.address}/${image}`, `content of ${image}\n`);
    // pause as a two-platform OCI index (the amd64 image and another one as arm64): an index is
    // copied whole, every platform's manifest with it.
    const [repo, tag] = split('pause:3.10.1');
    await seedImage(`${source.address}/${repo}:arm64-only`, 'content of pause:3.10.1 for arm64\n');
    const child = async (reference: string, architecture: string) => {
      const res = await fetch(`http://${source.address}/v2/${repo}/manifests/${reference}`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
      const size = Buffer.from(await res.arrayBuffer()).length;
      return { mediaType: res.headers.get('content-type')!, digest: res.headers.get('docker-content-digest')!, size, platform: { architecture, os: 'linux' } };
    };
    indexChildren = [await child(tag, 'amd64'), await child('arm64-only', 'arm64')];
    const index = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests: indexChildren });
    const put = await fetch(`http://${source.address}/v2/${repo}/manifests/${tag}`, { method: 'PUT', headers: { 'content-type': 'application/vnd.oci.image.index.v1+json' }, body: index });
    expect(put.status).to.equal(201);
  });
  after(async () => {
    await Promise.all([source?.stop(), destination?.stop()]);
  });

  it('--dry-run prints every source and destination (CoreDNS twice) and copies nothing', async () => {
    const r = await kubeone(['mirror-images', destination.address, '--kubernetes-versions', `v${VERSION}`, '--filter', 'control-plane', '--source-registry', source.address, '--dry-run'], REPO_ROOT);
    expect(r.code, r.stderr).to.equal(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).to.have.length(SOURCES.length + 1);
    expect(lines).to.include(`${source.address}/coredns/coredns:v1.13.1 -> ${destination.address}/coredns/coredns:v1.13.1`);
    expect(lines).to.include(`${source.address}/coredns/coredns:v1.13.1 -> ${destination.address}/coredns:v1.13.1`);
    expect(lines).to.include(`${source.address}/kube-apiserver:v${VERSION} -> ${destination.address}/kube-apiserver:v${VERSION}`);
    expect(await catalog(destination.address)).to.deep.equal([]);
  });

  it('copies every control-plane image with the same digests; the Docker engine pulls the copies', async () => {
    const r = await kubeone(['mirror-images', destination.address, '--kubernetes-versions', `v${VERSION}`, '--filter', 'control-plane', '--source-registry', source.address, '--parallel-image-copy-limit', '3'], REPO_ROOT);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include(`copied ${SOURCES.length}/${SOURCES.length} images to ${destination.address}`);
    for (const image of [...SOURCES, 'coredns:v1.13.1']) {
      const [repo, tag] = split(image);
      const [sourceRepo] = split(image === 'coredns:v1.13.1' ? 'coredns/coredns:v1.13.1' : image);
      const want = await registryDigest(source.address, sourceRepo, tag);
      expect(want, `${image} in the source`).to.match(/^sha256:/);
      expect(await registryDigest(destination.address, repo, tag), image).to.equal(want);
    }
    // Every platform of the index arrived (by digest), not only this machine's.
    expect(indexChildren).to.have.length(2);
    for (const { digest } of indexChildren) expect(await registryDigest(destination.address, 'pause', digest), digest).to.equal(digest);
    // The engine resolves its platform in the copied index and pulls it.
    for (const image of ['pause:3.10.1', `kube-apiserver:v${VERSION}`]) {
      const ref = `${destination.address}/${image}`;
      await run('docker', ['pull', '-q', ref]);
      try {
        const { stdout: id } = await run('docker', ['create', ref]);
        try {
          const { stdout } = await run('sh', ['-c', 'docker cp "$1:/content" - | tar -xOf -', 'sh', id.trim()]);
          expect(stdout).to.equal(`content of ${image}\n`);
        } finally {
          await run('docker', ['rm', id.trim()]);
        }
      } finally {
        await run('docker', ['rmi', '-f', ref]).catch(() => undefined);
      }
    }
    // Again: everything is there already, nothing fails.
    const again = await kubeone(['mirror-images', destination.address, '--kubernetes-versions', `v${VERSION}`, '--filter', 'control-plane', '--source-registry', source.address], REPO_ROOT);
    expect(again.code, again.stderr).to.equal(0);
  });

  it('an image missing at the source: exit 1, each failure named, the others still copied', async () => {
    // 1.34.3's control plane is not in the source registry; its etcd/CoreDNS/pause tags differ from 1.35's but pause does not.
    const r = await kubeone(['mirror-images', `${destination.address}/second`, '--kubernetes-versions', 'v1.34.3', '--filter', 'control-plane', '--source-registry', source.address], REPO_ROOT);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/failed to mirror all images \(successfully copied 1\/7\)/);
    expect(r.stderr).to.include(`${source.address}/kube-apiserver:v1.34.3 → ${destination.address}/second/kube-apiserver:v1.34.3`);
    // skopeo's own reason, with the image it failed on.
    expect(r.stderr).to.match(/kube-apiserver:v1\.34\.3: .*manifest unknown/);
    expect(await registryDigest(destination.address, 'second/pause', '3.10.1')).to.equal(await registryDigest(source.address, 'pause', '3.10.1'));
  });

  it('skopeo missing: exit 16 naming the binary and `apt install skopeo`, nothing copied', async () => {
    const r = await kubeone(['mirror-images', `${destination.address}/third`, '--kubernetes-versions', `v${VERSION}`, '--filter', 'control-plane', '--source-registry', source.address, '--skopeo-binary', '/nonexistent/skopeo'], REPO_ROOT);
    expect(r.code).to.equal(16);
    expect(r.stderr).to.include('skopeo was not found (/nonexistent/skopeo)').and.include('apt install skopeo');
    expect((await catalog(destination.address)).filter((repo) => repo.startsWith('third/'))).to.deep.equal([]);
  });

  it("a registry that wants credentials: skopeo finds them in $DOCKER_CONFIG/config.json; without them each image fails, the password never printed", async () => {
    const password = 'pw-e2e-Kx7q2';
    const front = await startAuthFront(destination, 'mirror', password);
    const home = mkdtempSync(path.join(tmpdir(), 'kubeone-mirror-home-'));
    const dockerConfig = mkdtempSync(path.join(tmpdir(), 'kubeone-mirror-docker-'));
    try {
      writeFileSync(path.join(dockerConfig, 'config.json'), JSON.stringify({ auths: { [front.address]: { auth: Buffer.from(`mirror:${password}`).toString('base64') } } }));
      const args = (to: string) => ['mirror-images', `${front.address}/${to}`, '--kubernetes-versions', `v${VERSION}`, '--filter', 'control-plane', '--source-registry', source.address];
      const denied = await kubeoneWithEnv(args('denied'), { HOME: home });
      expect(denied.code, denied.stderr).to.equal(1);
      expect(denied.stderr).to.match(/successfully copied 0\/7/);
      expect(denied.stderr).to.match(/pause:3\.10\.1: .*(unauthorized|authentication required)/i);
      expect((await catalog(destination.address)).filter((repo) => repo.startsWith('denied/'))).to.deep.equal([]);
      const allowed = await kubeoneWithEnv(args('allowed'), { HOME: home, DOCKER_CONFIG: dockerConfig });
      expect(allowed.code, allowed.stderr).to.equal(0);
      expect(await registryDigest(destination.address, 'allowed/pause', '3.10.1')).to.equal(await registryDigest(source.address, 'pause', '3.10.1'));
      for (const out of [denied, allowed]) expect(out.stdout + out.stderr).to.not.include(password).and.not.include(Buffer.from(`mirror:${password}`).toString('base64'));
    } finally {
      await front.stop();
      rmSync(home, { recursive: true, force: true });
      rmSync(dockerConfig, { recursive: true, force: true });
    }
  });
});
