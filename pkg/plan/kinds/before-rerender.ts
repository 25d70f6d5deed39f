// What a re-render of a control plane's static pods from a new ClusterConfiguration waits for:
// the files its new flags name (write-control-plane-files) and the encryption phases that must
// precede a change of --encryption-provider-config (or their refusal, which blocks it).
import type { PlanContext } from '../context.js';
import { beforeFlagChange } from './encryption-phases.js';
import * as writeFiles from './write-control-plane-files.js';

export function beforeRerender(ctx: PlanContext, host: string): string[] {
  return ctx.b.deps(writeFiles.idOf(host), ...beforeFlagChange(ctx));
}
