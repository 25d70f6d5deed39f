// `kubeone mirror-images`: which image goes where, and the copying itself (bounded
// parallelism, transient failures retried, every failure listed at the end).
import { systemClock, withRetry, errorText } from '../executor/retry.js';
import type { RetryPolicy } from '../executor/types.js';
import { copyImage } from '../registry/copy.js';
import { RegistryClient } from '../registry/client.js';
import type { CredentialLookup } from '../registry/credentials.js';
import { formatImageRef, parseImageRef } from '../registry/reference.js';
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
  parallel: number;
  credentials?: CredentialLookup;
  logger: Logger;
  retry?: RetryPolicy;
}

export interface MirrorResult {
  copied: number;
  total: number;
  failures: string[];
}

/** crane's copy retries (5 tries from 1 s, x1.5), here only for failures that may pass. */
const MIRROR_RETRY: RetryPolicy = { attempts: 5, baseDelayMs: 1000, factor: 1.5, maxDelayMs: 10_000 };

export async function mirrorImages(pairs: MirrorPair[], o: MirrorOptions): Promise<MirrorResult> {
  const clients = new Map<string, RegistryClient>();
  const client = (registry: string): RegistryClient => {
    let c = clients.get(registry);
    if (!c) clients.set(registry, (c = new RegistryClient(registry, { insecure: o.insecure, credentials: o.credentials })));
    return c;
  };
  const limiter = new Limiter(o.parallel);
  const failures: string[] = [];
  let copied = 0;
  await Promise.all(
    pairs.map((pair, i) =>
      limiter.run(async () => {
        const count = `${i + 1}/${pairs.length}`;
        let ok = true;
        for (const destination of pair.destinations) {
          const sourceRef = parseImageRef(pair.source);
          const destinationRef = parseImageRef(destination);
          try {
            let digest = '';
            await withRetry(o.retry ?? MIRROR_RETRY, systemClock, new AbortController().signal, async () => {
              digest = await copyImage({ source: client(sourceRef.registry), sourceRef, destination: client(destinationRef.registry), destinationRef });
            }, (n, delay, error) => o.logger.warn(`[${count}] ${pair.source} -> ${destination}: attempt ${n} failed (${errorText(error)}); retrying in ${delay} ms`));
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
  return { copied, total: pairs.length, failures };
}
