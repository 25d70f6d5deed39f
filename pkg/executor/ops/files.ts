// The rendered files of one host, grouped by the op that writes them (same renderers as
// computeDesired, so what is written is what the planner hashed).
import type { ResolvedHost } from '../../api/types.js';
import { containerdFilesFor, kubeletFilesFor } from '../../desired/host-files.js';
import type { RenderedFile } from '../../scripts/containerd-config.js';
import { type OpDeps } from './context.js';

/** `containerdMajor`: the containerd installed on the host (its config format follows it). */
export function desiredFilesForHost(deps: OpDeps, host: ResolvedHost, containerdMajor?: number): { containerd: RenderedFile[]; kubelet: RenderedFile[] } {
  return { containerd: containerdFilesFor(deps.loaded, containerdMajor), kubelet: kubeletFilesFor(deps.loaded, host) };
}
