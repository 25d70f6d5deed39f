// host.binaries.install: kubeadm, kubelet, kubectl at a version, from the node-binaries bundle
// (uploaded once, compared by hash) or the package repository (held at the version).
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { JSONSchemaType } from 'ajv';
import {
  DEFAULT_PACKAGE_REPOSITORY,
  type KubeComponent,
  bundleRemotePath,
  expandBinariesTemplate,
  renderBundleInstall,
  renderPackageInstall,
} from '../scripts/binaries.js';
import { shq } from '../scripts/shell.js';
import { archOf, familyOf, runScript, stepHost } from './context.js';
import { COMPONENTS, VERSION } from './params.js';
import { defineOp } from './types.js';

export interface BinariesInstallParams {
  version: string;
  components: KubeComponent[];
  /** apply --force-install: install again even when the host has them at the version. */
  force?: boolean;
}

const PARAMS: JSONSchemaType<BinariesInstallParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['version', 'components'],
  properties: { version: VERSION, components: COMPONENTS, force: { type: 'boolean', nullable: true } },
};

function localSha256(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => hash.update(d))
      .on('error', (e) => rej(new Error(`cannot read bundle ${path}: ${e.message}`, { cause: e })))
      .on('end', () => res(hash.digest('hex')));
  });
}

export const hostBinariesInstall = defineOp<BinariesInstallParams>({
  summary: 'install kubeadm, kubelet and/or kubectl at a version (bundle or package repository)',
  params: PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }, { version, components, force }) {
    const { host, t } = await stepHost(deps, step.host);
    const family = familyOf(deps, host);
    const arch = archOf(deps, host);
    const source = deps.loaded.cluster.kubernetesBinaries;
    if (source?.bundle?.path || source?.bundle?.url) {
      const remoteTarball = bundleRemotePath(source.bundle, version, arch);
      if (source.bundle.path) {
        const expanded = expandBinariesTemplate(source.bundle.path, version, arch);
        const local = isAbsolute(expanded) ? expanded : resolve(deps.loaded.baseDir, expanded);
        const want = await localSha256(local);
        const have = await t.exec(`sudo sha256sum ${shq(remoteTarball)} 2>/dev/null | cut -d' ' -f1`);
        if (have.stdout.trim() !== want) await t.upload(local, remoteTarball, { mode: 0o600 });
        await runScript(t, renderBundleInstall(family, { version, arch, components, remoteTarball, force }), 'install kube binaries from bundle');
      } else {
        const url = expandBinariesTemplate(source.bundle.url!, version, arch);
        await runScript(t, renderBundleInstall(family, { version, arch, components, remoteTarball, url, force }), 'install kube binaries from bundle URL');
      }
      return;
    }
    const repositoryUrl = source?.packageRepository?.url || DEFAULT_PACKAGE_REPOSITORY;
    // systemPackages.configureRepositories: false leaves the host's package sources alone.
    const configureRepository = deps.loaded.cluster.systemPackages?.configureRepositories ?? true;
    await runScript(t, renderPackageInstall(family, { version, arch, components, repositoryUrl, configureRepository, force }), 'install kube packages');
  },
  stillDone: ({ host }, { version, components }) => components.every((c) => host?.[c]?.version === version),
  model(world, { version, components }, host) {
    const h = world.host(host);
    for (const c of components) {
      if (c === 'kubelet') h.kubelet = { ...h.kubelet!, version, unit: { ...h.kubelet!.unit, installed: true } };
      if (c === 'kubeadm') h.kubeadm = { version };
      if (c === 'kubectl') h.kubectl = { version };
    }
    h.binaries = { origin: 'bundle', version };
  },
});
