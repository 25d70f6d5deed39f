// `kubeone mirror-images`: which image goes where, and the copying itself (skopeo processes,
// bounded in number; every failure listed at the end).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { errorText } from '../executor/retry.js';
import { formatImageRef, parseImageRef } from '../registry/reference.js';
import type { Skopeo } from '../registry/skopeo.js';
import { Limiter } from '../ssh/limiter.js';
import type { Logger } from '../ssh/logger.js';

export interface MirrorPair {
  source: string;
  destinations: string[];
}

/**
 * Source and destinations of each image. The destination keeps the image's repository path
 * under `registry` (what registryConfiguration.overwriteRegistry then finds). CoreDNS goes
 * to two places: `<registry>/coredns/coredns` for containerd mirrors and `<registry>/coredns`
 * for kubeadm, which drops the nested path in a custom registry. With `sourceRegistry`, each
 * image is read from there at the same path: a registry an earlier mirror-images filled.
 */
export function mirrorPairs(images: string[], registry: string, sourceRegistry?: string): MirrorPair[] {
  return images.map((image) => {
    const ref = parseImageRef(image);
    const tag = ref.reference.startsWith('sha256:') ? `@${ref.reference}` : `:${ref.reference}`;
    const source = sourceRegistry ? formatImageRef(parseImageRef(`${sourceRegistry}/${ref.repository}${tag}`)) : formatImageRef(ref);
    const destinations = ref.repository === 'coredns/coredns' ? [`${registry}/coredns/coredns${tag}`, `${registry}/coredns${tag}`] : [`${registry}/${ref.repository}${tag}`];
    return { source, destinations };
  });
}

export interface MirrorOptions {
  insecure: boolean;
  /** skopeo processes at once. */
  parallel: number;
  skopeo: Skopeo;
  logger: Logger;
}

export interface MirrorResult {
  copied: number;
  total: number;
  failures: string[];
}

/**
 * Copies each pair with skopeo (which retries network failures itself), `parallel` at a time.
 * A failure is logged and listed; the other images are still copied. skopeo writes each
 * copy's digest into a private directory removed afterwards.
 */
export async function mirrorImages(pairs: MirrorPair[], o: MirrorOptions): Promise<MirrorResult> {
  const limiter = new Limiter(o.parallel);
  const failures: string[] = [];
  let copied = 0;
  const dir = mkdtempSync(join(tmpdir(), 'kubeone-mirror-'));
  try {
    await Promise.all(
      pairs.map((pair, i) =>
        limiter.run(async () => {
          const count = `${i + 1}/${pairs.length}`;
          let ok = true;
          for (const [j, destination] of pair.destinations.entries()) {
            try {
              const digest = await o.skopeo.copy({ source: pair.source, destination, insecure: o.insecure }, join(dir, `${i}-${j}.digest`));
              o.logger.info(`[${count}] ${pair.source} -> ${destination} (${digest})`);
            } catch (error) {
              ok = false;
              o.logger.warn(`[${count}] ${pair.source} -> ${destination}: ${errorText(error)}`);
              failures.push(`  - ${pair.source} → ${destination}: ${errorText(error)}`);
            }
          }
          if (ok) copied++;
        }),
      ),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { copied, total: pairs.length, failures };
}
