import { expect } from 'chai';

import { mirrorPairs } from '../../pkg/images/mirror.js';
import { defaultMirrorVersions } from '../../pkg/images/versions.js';
import { runCliCaptured as runKubeone } from '../testing/run-cli.js';

describe('kubeone mirror-images', () => {
  it('destinations keep the repository path; CoreDNS goes to both paths kubeadm and containerd mirrors use (KubeOne\'s retagImage cases)', () => {
    expect(mirrorPairs(['registry.k8s.io/coredns/coredns:v1.8.6', 'nginx:latest', 'registry.k8s.io/api-server:tag'], 'myregistry')).to.deep.equal([
      { source: 'registry.k8s.io/coredns/coredns:v1.8.6', destinations: ['myregistry/coredns/coredns:v1.8.6', 'myregistry/coredns:v1.8.6'] },
      { source: 'docker.io/library/nginx:latest', destinations: ['myregistry/library/nginx:latest'] },
      { source: 'registry.k8s.io/api-server:tag', destinations: ['myregistry/api-server:tag'] },
    ]);
    expect(() => mirrorPairs(['invalid_image%%%_ref'], 'myregistry')).to.throw(/invalid image reference/);
  });

  it('--source-registry reads each image at the same path from that registry', () => {
    expect(mirrorPairs(['quay.io/calico/node:v3.32.0'], 'dst.corp/mirror', 'src.corp:5000')).to.deep.equal([
      { source: 'src.corp:5000/calico/node:v3.32.0', destinations: ['dst.corp/mirror/calico/node:v3.32.0'] },
    ]);
  });

  it('without --kubernetes-versions: every patch of each supported minor up to the release channel\'s latest', async () => {
    const asked: string[] = [];
    const latest: Record<string, string> = { '34': 'v1.34.2\n', '35': 'v1.35.0', '36': 'v1.36.1' };
    const versions = await defaultMirrorVersions(async (url) => (asked.push(url), latest[/stable-1\.(\d+)\.txt$/.exec(url)![1]!]!));
    expect(asked).to.deep.equal(['https://dl.k8s.io/release/stable-1.34.txt', 'https://dl.k8s.io/release/stable-1.35.txt', 'https://dl.k8s.io/release/stable-1.36.txt']);
    expect(versions).to.deep.equal(['1.34.0', '1.34.1', '1.34.2', '1.35.0', '1.36.0', '1.36.1']);
    await defaultMirrorVersions(async () => '<html>').then(
      () => expect.fail('accepted a non-version'),
      (e: Error) => expect(e.message).to.match(/expected a 1\.34\.x version, got "<html>"/),
    );
  });

  it('--dry-run with --filter optional still lists the control-plane images (as KubeOne)', async () => {
    const r = await runKubeone(['mirror-images', 'mirror.corp', '--kubernetes-versions', '1.36.0', '--filter', 'optional', '--dry-run']);
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('registry.k8s.io/kube-apiserver:v1.36.0 -> mirror.corp/kube-apiserver:v1.36.0\n');
    expect(r.stdout).to.include('registry.k8s.io/pause:3.10.2 -> mirror.corp/pause:3.10.2\n');
    expect(r.stdout).to.include('registry.k8s.io/provider-aws/cloud-controller-manager:v1.35.0 -> mirror.corp/provider-aws/cloud-controller-manager:v1.35.0\n');
    expect(r.stdout).to.not.include('calico');
  });

  it('bad arguments: clear error, documented exit code, nothing contacted', async () => {
    const cases: [string[], number, RegExp][] = [
      [[], 1, /Not enough non-option arguments/],
      [['https://mirror.corp'], 1, /registry: "https:\/\/mirror\.corp" is not a registry/],
      [['mirror corp'], 1, /is not a registry/],
      [['mirror.corp', '--source-registry', 'a;b'], 1, /--source-registry: "a;b" is not a registry/],
      [['mirror.corp', '--parallel-image-copy-limit', '0'], 1, /--parallel-image-copy-limit must be a positive integer/],
      [['mirror.corp', '--filter', 'everything'], 10, /--filter can be only one of/],
      [['mirror.corp', '--kubernetes-versions', 'v1.35.1,1.99.0'], 15, /kubernetes version 1\.99\.0 is not supported/],
      [['mirror.corp', '--kubernetes-versions', 'v1.35.1,,'], 15, /kubernetes version is required/],
    ];
    for (const [args, code, message] of cases) {
      const r = await runKubeone(['mirror-images', ...args, '--dry-run']);
      expect(r.code, `${args.join(' ')}: ${r.stderr}`).to.equal(code);
      expect(r.stderr).to.match(message);
      expect(r.stdout).to.equal('');
    }
  });

  it('without skopeo: exit 16 naming the binary and how to install it, before anything is copied; --dry-run needs no skopeo', async () => {
    const args = ['mirror-images', '127.0.0.1:9', '--kubernetes-versions', 'v1.35.1', '--filter', 'control-plane', '--skopeo-binary', '/nonexistent/skopeo'];
    const r = await runKubeone(args);
    expect(r.code, r.stderr).to.equal(16);
    expect(r.stderr).to.include('skopeo was not found (/nonexistent/skopeo)').and.include('apt install skopeo');
    expect(r.stdout).to.equal('');
    const dry = await runKubeone([...args, '--dry-run']);
    expect(dry.code, dry.stderr).to.equal(0);
    expect(dry.stdout).to.include('registry.k8s.io/pause:3.10.1 -> 127.0.0.1:9/pause:3.10.1\n');
  });
});
