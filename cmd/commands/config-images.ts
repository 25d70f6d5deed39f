// kubeone config images list [--filter none|base|optional|control-plane] [--kubernetes-version V | -m FILE] [--all]
import { existsSync } from 'node:fs';

import { Issues } from '../../pkg/api/validate/util.js';
import { validateVersions } from '../../pkg/api/validate/cloud.js';
import { ExitCode, KubeOneError } from '../../pkg/errors/exit-codes.js';
import { IMAGE_FILTERS, type ImageFilter, listImages } from '../../pkg/images/list.js';
import { controlPlaneImageOptions } from '../../pkg/kubeadm/images.js';
import type { CommandFactory } from '../shared/context.js';

export const DEFAULT_MANIFEST = './kubeone.yaml';

/** KubeOne's check of a --filter value (a runtime error there: exit 10). */
export function imageFilterOf(value: string, allowed: readonly string[] = IMAGE_FILTERS): ImageFilter {
  if (!allowed.includes(value)) throw new KubeOneError(`--filter can be only one of [${allowed.join('|')}], got ${JSON.stringify(value)}`, ExitCode.runtime);
  return value as ImageFilter;
}

/** A Kubernetes version given on the command line, checked as versions.kubernetes is (exit 15). */
export function kubernetesVersionFlag(flag: string, value: string): string {
  const issues = new Issues();
  validateVersions({ apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', versions: { kubernetes: value.replace(/^v/, '') } }, issues);
  if (issues.list.length > 0) throw new KubeOneError(`${flag}: ${issues.list.map((i) => i.message).join('; ')}`, ExitCode.config);
  return value.replace(/^v/, '');
}

interface ListArgs {
  filter: string;
  'kubernetes-version'?: string;
  all: boolean;
}

const listCommand: CommandFactory = (ctx) => ({
  command: 'list',
  describe:
    'List every image the cluster uses (kubeadm control-plane images and the addon images), after registryConfiguration overrides. ' +
    'Exit codes: 0; 10 for a bad --filter or --kubernetes-version together with a readable manifest; 15 for an invalid manifest or version; 1 for an unreadable manifest',
  builder: (y) =>
    y
      .option('filter', { type: 'string', default: 'none', describe: `one of ${IMAGE_FILTERS.join(', ')}: base is the control plane and KubeOne's base addons, optional every other addon image` })
      .option('kubernetes-version', { alias: 'k', type: 'string', describe: 'list for this version instead of the manifest (not together with a readable -m file)' })
      .option('all', { alias: 'a', type: 'boolean', default: false, describe: 'every version of every addon image, not only those of the version' })
      .example('kubeone config images list -m kubeone.yaml', 'the images of this cluster, with its registry overrides')
      .example('kubeone config images list --kubernetes-version 1.35.1 --filter base', 'control plane and base addons of 1.35.1'),
  handler: ctx.run<ListArgs>(async (a) => {
    const filter = imageFilterOf(a.filter);
    const manifestReadable = a.manifest === '-' || existsSync(a.manifest);
    if (!manifestReadable && a.manifest !== DEFAULT_MANIFEST) throw new KubeOneError(`cannot read the manifest ${a.manifest}: no such file`);
    let images: string[];
    if (manifestReadable) {
      if (a['kubernetes-version'] !== undefined) {
        throw new KubeOneError(`only one of either --manifest or --kubernetes-version can be provided (the manifest ${a.manifest} exists)`, ExitCode.runtime);
      }
      const { cluster } = await ctx.loadCluster(a);
      images = listImages({
        filter,
        all: a.all,
        kubernetesVersion: cluster.versions?.kubernetes,
        overwriteRegistry: cluster.registryConfiguration?.overwriteRegistry ?? '',
        controlPlane: controlPlaneImageOptions(cluster),
      });
    } else {
      const version = a['kubernetes-version'] === undefined ? undefined : kubernetesVersionFlag('--kubernetes-version', a['kubernetes-version']);
      if (!version && filter !== 'optional') ctx.logger(a).warn('no manifest and no --kubernetes-version: the control-plane images are left out (their tags depend on the version)');
      images = listImages({ filter, all: a.all, ...(version ? { kubernetesVersion: version } : {}) });
    }
    ctx.print(images.join('\n'));
  }),
});

/** `kubeone config images <list>`. */
export const configImagesCommand: CommandFactory = (ctx) => ({
  command: 'images',
  describe: 'The container images of a cluster',
  builder: (y) => y.command(listCommand(ctx)).demandCommand(1, 'an images subcommand is required'),
  handler: () => undefined,
});
