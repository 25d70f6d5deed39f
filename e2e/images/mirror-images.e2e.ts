// kubeone mirror-images between two local registries (Debian's docker-registry on
// 127.0.0.1): the upstream registries are out of reach, so the source is a registry seeded
// with `docker import` images at the paths mirror-images writes, named with --source-registry.
// Judges: the registries' own answers (digests over plain HTTP) and the Docker engine pulling
// the copies.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';

import { expect } from 'chai';

import { KUBEONE_BIN, kubeone } from '../lifecycle/cli.js';
import { REPO_ROOT } from '../fleet/index.js';
import { type LocalRegistry, registryDigest, seedImage, startRegistry } from './registry.js';

const run = promisify(execFile);
const VERSION = '1.35.1';
/** What kubeadm 1.35 pulls, at the paths mirror-images uses (the source side). */
const SOURCES = ['coredns/coredns:v1.13.1', 'etcd:3.6.6-0', `kube-apiserver:v${VERSION}`, `kube-controller-manager:v${VERSION}`, `kube-proxy:v${VERSION}`, `kube-scheduler:v${VERSION}`, 'pause:3.10.1'];

describe('kubeone mirror-images: between two local registries', function () {
  this.timeout(300_000);
  let source: LocalRegistry;
  let destination: LocalRegistry;
  const split = (image: string): [string, string] => {
    const i = image.lastIndexOf(':');
    return [image.slice(0, i), image.slice(i + 1)];
  };

  before(async function () {
    if (!existsSync('/usr/bin/docker-registry')) throw new Error('docker-registry is missing: run bash hack/test-deps.sh');
    if (!existsSync(KUBEONE_BIN)) throw new Error(`${KUBEONE_BIN} is missing: run npm run build`);
    [source, destination] = await Promise.all([startRegistry(), startRegistry()]);
    for (const image of SOURCES) await seedImage(`${source.address}/${image}`, `content of ${image}\n`);
    // pause as a one-platform OCI index over the pushed manifest: indexes are copied with their children.
    const [repo, tag] = split('pause:3.10.1');
    const manifest = await fetch(`http://${source.address}/v2/${repo}/manifests/${tag}`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
    const bytes = Buffer.from(await manifest.arrayBuffer());
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      manifests: [{ mediaType: manifest.headers.get('content-type'), digest: manifest.headers.get('docker-content-digest'), size: bytes.length, platform: { architecture: 'amd64', os: 'linux' } }],
    });
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
    const catalog = (await (await fetch(`http://${destination.address}/v2/_catalog`)).json()) as { repositories: string[] };
    expect(catalog.repositories).to.deep.equal([]);
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
    // The index's child manifest arrived too: the engine resolves the platform and pulls it.
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
    expect(await registryDigest(destination.address, 'second/pause', '3.10.1')).to.equal(await registryDigest(source.address, 'pause', '3.10.1'));
  });
});
