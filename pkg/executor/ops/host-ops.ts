// host.* ops: OS preparation, containerd, kube binaries, kubelet files. Each renders a
// guarded script or compares file hashes first, so a re-run changes nothing.
import { createReadStream } from 'node:fs';
import { createHash } from 'node:crypto';
import { isAbsolute, resolve } from 'node:path';
import { desiredFilesForHost } from './files.js';
import {
  ALL_COMPONENTS,
  DEFAULT_PACKAGE_REPOSITORY,
  type KubeComponent,
  bundleRemotePath,
  expandBinariesTemplate,
  renderBinariesRemove,
  renderBundleInstall,
  renderPackageInstall,
} from '../../scripts/binaries.js';
import { CONTAINERD_CERTS_DIR, containerdMajorOf } from '../../scripts/containerd-config.js';
import { renderContainerdInstall } from '../../scripts/containerd-install.js';
import { renderKubeletRestart } from '../../scripts/kubeadm-scripts.js';
import { renderPrerequisites } from '../../scripts/prerequisites.js';
import { pathInside, renderScript, shq } from '../../scripts/shell.js';
import type { OpRegistry, StepContext } from '../types.js';
import { type OpDeps, archOf, ensureRemoteFile, familyOf, hostByName, runScript } from './context.js';

function localSha256(path: string): Promise<string> {
  return new Promise((res, rej) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (d) => hash.update(d))
      .on('error', (e) => rej(new Error(`cannot read bundle ${path}: ${e.message}`, { cause: e })))
      .on('end', () => res(hash.digest('hex')));
  });
}

async function installBinaries(deps: OpDeps, ctx: StepContext): Promise<void> {
  const host = hostByName(deps, ctx.step.host);
  const t = await deps.transport(host.name);
  const family = familyOf(deps, host);
  const arch = archOf(deps, host);
  const version = String(ctx.step.params?.version ?? deps.loaded.cluster.versions?.kubernetes ?? '').replace(/^v/, '');
  const components = ((ctx.step.params?.components as KubeComponent[] | undefined) ?? ALL_COMPONENTS).filter((c) =>
    ALL_COMPONENTS.includes(c),
  );
  const source = deps.loaded.cluster.kubernetesBinaries;
  if (source?.bundle?.path || source?.bundle?.url) {
    const remoteTarball = bundleRemotePath(source.bundle, version, arch);
    if (source.bundle.path) {
      const expanded = expandBinariesTemplate(source.bundle.path, version, arch);
      const local = isAbsolute(expanded) ? expanded : resolve(deps.loaded.baseDir, expanded);
      const want = await localSha256(local);
      const have = await t.exec(`sudo sha256sum ${shq(remoteTarball)} 2>/dev/null | cut -d' ' -f1`);
      if (have.stdout.trim() !== want) await t.upload(local, remoteTarball, { mode: 0o600 });
      await runScript(t, renderBundleInstall(family, { version, arch, components, remoteTarball }), 'install kube binaries from bundle');
    } else {
      const url = expandBinariesTemplate(source.bundle.url!, version, arch);
      await runScript(t, renderBundleInstall(family, { version, arch, components, remoteTarball, url }), 'install kube binaries from bundle URL');
    }
    return;
  }
  const repositoryUrl = source?.packageRepository?.url || DEFAULT_PACKAGE_REPOSITORY;
  // systemPackages.configureRepositories: false leaves the host's package sources alone.
  const configureRepository = deps.loaded.cluster.systemPackages?.configureRepositories ?? true;
  await runScript(t, renderPackageInstall(family, { version, arch, components, repositoryUrl, configureRepository }), 'install kube packages');
}

function isDirectlyInside(parent: string, path: string): boolean {
  const name = path.startsWith(`${parent}/`) ? path.slice(parent.length + 1) : '';
  try {
    return name !== '' && !name.includes('/') && pathInside(parent, name) === path;
  } catch {
    return false;
  }
}

export function hostOps(deps: OpDeps): OpRegistry {
  const onHost = async (ctx: StepContext) => {
    const host = hostByName(deps, ctx.step.host);
    return { host, t: await deps.transport(host.name), family: familyOf(deps, host) };
  };
  return {
    'host.prerequisites': async (ctx) => {
      const { t, family } = await onHost(ctx);
      const ipFamily = deps.loaded.cluster.clusterNetwork?.ipFamily ?? 'IPv4';
      await runScript(t, renderPrerequisites(family, { proxy: deps.loaded.cluster.proxy, ipv6: ipFamily !== 'IPv4' }), 'prerequisites');
    },
    'host.containerd.install': async (ctx) => {
      const { t, family } = await onHost(ctx);
      const configureRepositories = deps.loaded.cluster.systemPackages?.configureRepositories ?? true;
      await runScript(t, renderContainerdInstall(family, { configureRepositories }), 'install containerd');
    },
    'host.containerd.configure': async (ctx) => {
      const { host, t } = await onHost(ctx);
      let changed = false;
      // The config format follows the containerd actually installed (version 3 for 2.x, 2 for 1.x).
      const version = await runScript(t, renderScript(['containerd --version']), 'containerd --version');
      const files = desiredFilesForHost(deps, host, containerdMajorOf(version)).containerd;
      for (const file of files) changed = (await ensureRemoteFile(t, file)) || changed;
      // Registries removed from the manifest: their hosts.toml would otherwise stay in effect.
      const present = await t.exec(`sudo find ${CONTAINERD_CERTS_DIR} -mindepth 2 -maxdepth 2 -name hosts.toml 2>/dev/null || true`);
      const wanted = new Set(files.map((f) => f.path));
      for (const path of present.stdout.split('\n').map((l) => l.trim()).filter((l) => l && !wanted.has(l))) {
        // A name read from the host: only a directory directly inside certs.d is removed.
        const dir = path.replace(/\/hosts\.toml$/, '');
        if (!isDirectlyInside(CONTAINERD_CERTS_DIR, dir)) continue;
        await t.exec(`sudo rm -rf ${shq(dir)}`);
        changed = true;
      }
      if (changed) await runScript(t, ['set -euo pipefail', 'sudo systemctl daemon-reload', 'sudo systemctl restart containerd'].join('\n'), 'restart containerd');
    },
    'host.binaries.install': (ctx) => installBinaries(deps, ctx),
    'host.binaries.remove': async (ctx) => {
      const { t, family } = await onHost(ctx);
      await runScript(t, renderBinariesRemove(family), 'remove kube binaries');
    },
    'host.kubelet.configure': async (ctx) => {
      const { host, t } = await onHost(ctx);
      let changed = false;
      for (const file of desiredFilesForHost(deps, host).kubelet) changed = (await ensureRemoteFile(t, file)) || changed;
      // Before the join kubelet is crash-looping on purpose; only a joined kubelet is restarted.
      // daemon-reload first: a drop-in (proxy environment) may have changed.
      if (changed) {
        await runScript(
          t,
          ['set -euo pipefail', 'sudo systemctl daemon-reload', 'if sudo test -f /etc/kubernetes/kubelet.conf; then sudo systemctl restart kubelet; fi'].join('\n'),
          'restart kubelet',
        );
      }
    },
    'host.kubelet.restart': async (ctx) => {
      const { t } = await onHost(ctx);
      await runScript(t, renderKubeletRestart(), 'restart kubelet');
    },
  };
}
