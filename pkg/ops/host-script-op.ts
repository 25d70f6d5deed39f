// The most common kind of op: render one script for the step's host (from the manifest and
// the host's OS family) and run it there. Such an op changes its host and marks it in flight.
import type { ResolvedHost } from '../api/types.js';
import type { OsFamily } from '../scripts/os-family.js';
import { familyOf, type OpDeps, runScript, stepHost } from './context.js';
import type { ModelWorld } from './model-world.js';
import { defineOp, type OpDefinition, type ResumeView } from './types.js';

export interface HostScriptOp {
  summary: string;
  /** What failed, in the error: `<what> failed (exit N): ...`. */
  what: string;
  render(deps: OpDeps, host: ResolvedHost, family: OsFamily): string;
  stillDone(view: ResumeView): boolean;
  model(world: ModelWorld, host: string | undefined): void;
}

export function hostScriptOp(op: HostScriptOp): OpDefinition<undefined> {
  return defineOp({
    summary: op.summary,
    params: null,
    changes: 'host',
    marksInflight: true,
    async run({ deps, step }) {
      const { host, t } = await stepHost(deps, step.host);
      await runScript(t, op.render(deps, host, familyOf(deps, host)), op.what);
    },
    stillDone: (view) => op.stillDone(view),
    model: (world, _params, host) => op.model(world, host),
  });
}
