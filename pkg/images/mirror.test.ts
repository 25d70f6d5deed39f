import { expect } from 'chai';

import type { Logger } from '../ssh/logger.js';
import type { Skopeo } from '../registry/skopeo.js';
import { mirrorImages, mirrorPairs } from './mirror.js';

const quiet = { info: () => undefined, warn: () => undefined, debug: () => undefined, error: () => undefined } as unknown as Logger;

describe('mirrorImages', () => {
  it('runs at most --parallel-image-copy-limit copies at once, lists every failure with its image and copies the rest', async () => {
    let running = 0;
    let most = 0;
    const calls: string[] = [];
    const fake: Skopeo = {
      version: async () => '1.9.3',
      copy: async (r) => {
        calls.push(`${r.source} -> ${r.destination} insecure=${r.insecure}`);
        most = Math.max(most, ++running);
        await new Promise((resolve) => setTimeout(resolve, 10));
        running--;
        if (r.destination === 'mirror.corp/coredns:v1.13.1') throw new Error('manifest unknown');
        return `sha256:${'c'.repeat(64)}`;
      },
    };
    const images = ['registry.k8s.io/coredns/coredns:v1.13.1', 'registry.k8s.io/etcd:3.6.6-0', 'registry.k8s.io/pause:3.10.1', 'registry.k8s.io/kube-proxy:v1.35.1', 'quay.io/calico/node:v3.32.0'];
    const result = await mirrorImages(mirrorPairs(images, 'mirror.corp'), { insecure: true, parallel: 2, skopeo: fake, logger: quiet });
    expect(most).to.equal(2);
    expect(calls).to.have.length(6);
    expect(calls).to.include('registry.k8s.io/coredns/coredns:v1.13.1 -> mirror.corp/coredns/coredns:v1.13.1 insecure=true');
    expect(result).to.deep.equal({
      copied: 4,
      total: 5,
      failures: ['  - registry.k8s.io/coredns/coredns:v1.13.1 → mirror.corp/coredns:v1.13.1: manifest unknown'],
    });
  });
});
