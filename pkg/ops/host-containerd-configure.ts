// host.containerd.configure: the containerd file group (config.toml, registry hosts.toml,
// crictl, proxy drop-in); containerd restarts only when a file changed.
import { groupFilesFor } from '../desired/host-files.js';
import { CONTAINERD_CERTS_DIR, containerdMajorOf } from '../scripts/containerd-config.js';
import { pathInside, renderScript, shq } from '../scripts/shell.js';
import { ensureRemoteFiles, familyOf, runScript, stepHost } from './context.js';
import { defineOp } from './types.js';
import { groupFilesMatch } from './files-match.js';

function isDirectlyInside(parent: string, path: string): boolean {
  const name = path.startsWith(`${parent}/`) ? path.slice(parent.length + 1) : '';
  try {
    return name !== '' && !name.includes('/') && pathInside(parent, name) === path;
  } catch {
    return false;
  }
}

export const hostContainerdConfigure = defineOp({
  summary: 'write the containerd configuration files and restart containerd when one changed',
  params: null,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const { host, t } = await stepHost(deps, step.host);
    // The config format follows the containerd actually installed (version 3 for 2.x, 2 for 1.x).
    const version = await runScript(t, renderScript(['containerd --version']), 'containerd --version');
    const files = groupFilesFor(deps.loaded, host, { family: familyOf(deps, host), containerdMajor: containerdMajorOf(version) }, 'containerd');
    let changed = await ensureRemoteFiles(t, files);
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
  stillDone: (view) => groupFilesMatch(view, 'containerd'),
  model: (world, _params, host) => world.writeFiles(world.host(host), 'containerd'),
});
