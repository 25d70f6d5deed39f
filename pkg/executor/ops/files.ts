// The rendered files of one host, grouped by the op that writes them (same renderers as
// computeDesired, so what is written is what the planner hashed).
import type { ResolvedHost } from '../../api/types.js';
import { containerdFilesFor, kubeletFilesFor } from '../../desired/host-files.js';
import type { RenderedFile } from '../../scripts/containerd-config.js';
import { type OpDeps } from './context.js';

export function desiredFilesForHost(deps: OpDeps, host: ResolvedHost): { containerd: RenderedFile[]; kubelet: RenderedFile[] } {
  return { containerd: containerdFilesFor(deps.loaded), kubelet: kubeletFilesFor(deps.loaded, host) };
}
