// kubeone mirror-images <registry> [--filter ...] [--kubernetes-versions v1,v2] [--dry-run] [--insecure]
//                                  [--parallel-image-copy-limit N] [--source-registry REGISTRY] [--skopeo-binary PATH]
import { isRegistry } from '../../pkg/api/validate/shapes.js';
import { KubeOneError } from '../../pkg/errors/exit-codes.js';
import { listImages } from '../../pkg/images/list.js';
import { mirrorImages, mirrorPairs } from '../../pkg/images/mirror.js';
import { defaultMirrorVersions } from '../../pkg/images/versions.js';
import { skopeo } from '../../pkg/registry/skopeo.js';
import type { CommandFactory } from '../shared/context.js';
import { imageFilterOf, kubernetesVersionFlag } from './config-images.js';

interface MirrorArgs {
  registry: string;
  filter: string;
  'kubernetes-versions'?: string;
  'dry-run': boolean;
  insecure: boolean;
  'parallel-image-copy-limit': number;
  'source-registry'?: string;
  'skopeo-binary'?: string;
}

function registryArg(flag: string, value: string): string {
  const trimmed = value.replace(/\/+$/, '');
  if (!isRegistry(trimmed)) throw new KubeOneError(`${flag}: ${JSON.stringify(value)} is not a registry (host[:port][/path], no scheme)`);
  return trimmed;
}

export const mirrorImagesCommand: CommandFactory = (ctx) => ({
  command: 'mirror-images <registry>',
  describe:
    'Copy every image kubeone clusters use (control plane and addons) to another registry, at the same repository paths. ' +
    'Exit codes: 0; 1 for bad arguments or when an image could not be copied (all are listed); 10 for a bad --filter; 15 for a bad Kubernetes version',
  builder: (y) =>
    y
      .positional('registry', { type: 'string', demandOption: true, describe: 'destination registry, host[:port][/path]' })
      .option('filter', { type: 'string', default: 'none', describe: 'none, base, optional or control-plane (the control-plane images are always copied)' })
      .option('kubernetes-versions', { type: 'string', describe: 'comma-separated versions, e.g. v1.34.3,v1.35.1 (default: every patch of every supported minor, from the Kubernetes release channel)' })
      .option('dry-run', { type: 'boolean', default: false, describe: 'only print each source and destination' })
      .option('insecure', { type: 'boolean', default: false, describe: 'skip TLS verification and allow plain HTTP at the source and the destination (loopback registries always may)' })
      .option('parallel-image-copy-limit', { type: 'number', default: 10, describe: 'images copied at once (skopeo processes)' })
      .option('source-registry', { type: 'string', describe: 'read every image from this registry at the same path (one an earlier mirror-images filled) instead of its upstream registry' })
      .option('skopeo-binary', { type: 'string', describe: 'the skopeo client that copies the images (default: skopeo on PATH; Debian/Ubuntu: apt install skopeo)' })
      .example('kubeone mirror-images registry.corp:5000', 'every image of every supported version')
      .example('kubeone mirror-images --kubernetes-versions v1.35.1 --filter control-plane --dry-run registry.corp:5000', 'what would be copied'),
  handler: ctx.run<MirrorArgs>(async (a) => {
    const registry = registryArg('registry', a.registry);
    const source = a['source-registry'] === undefined ? undefined : registryArg('--source-registry', a['source-registry']);
    const filter = imageFilterOf(a.filter);
    const parallel = a['parallel-image-copy-limit'];
    if (!Number.isInteger(parallel) || parallel < 1) throw new KubeOneError(`--parallel-image-copy-limit must be a positive integer, got ${parallel}`);
    const log = ctx.logger(a);
    const versions =
      a['kubernetes-versions'] === undefined
        ? await defaultMirrorVersions()
        : a['kubernetes-versions'].split(',').map((v) => kubernetesVersionFlag('--kubernetes-versions', v.trim()));
    const images = new Set<string>();
    for (const version of versions) {
      // The control-plane images always, as KubeOne; the addon images by the filter.
      for (const f of filter === 'optional' ? (['control-plane', 'optional'] as const) : [filter]) {
        for (const image of listImages({ filter: f, kubernetesVersion: version })) images.add(image);
      }
    }
    const pairs = mirrorPairs([...images].sort(), registry, source);
    if (a['dry-run']) {
      for (const p of pairs) for (const d of p.destinations) ctx.print(`${p.source} -> ${d}`);
      log.info(`dry run: ${pairs.length} images for Kubernetes ${versions.join(', ')}; nothing copied`);
      return;
    }
    // skopeo must run before the first copy starts: without it nothing is copied (exit 16).
    const copier = skopeo({ ...(a['skopeo-binary'] ? { binary: a['skopeo-binary'] } : {}), env: ctx.io.env });
    const version = await copier.version();
    log.info(`mirroring ${pairs.length} images for Kubernetes ${versions.join(', ')} to ${registry} with skopeo ${version}`);
    const result = await mirrorImages(pairs, { insecure: a.insecure, parallel, skopeo: copier, logger: log });
    if (result.failures.length > 0) {
      throw new KubeOneError(`failed to mirror all images (successfully copied ${result.copied}/${result.total}): failed images:\n${result.failures.join('\n')}`);
    }
    ctx.print(`copied ${result.copied}/${result.total} images to ${registry}`);
  }),
});
