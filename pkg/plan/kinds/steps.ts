// Small constructors for the executor's steps (ops and params are the contract in pkg/ops).
import { ALL_COMPONENTS, type KubeComponent } from '../../scripts/binaries.js';
import { nodeNameOf as registeredNodeName } from '../../scripts/kubelet-files.js';
import type { HostView } from '../host-state.js';
import type { Step, StepOf, StepOp, StepParamsByOp } from '../types.js';

/** A step whose params are checked against the op's params type (pkg/ops/registry.ts). */
export function step<Op extends StepOp>(
  op: Op,
  host: string | undefined,
  description: string,
  ...rest: StepParamsByOp[Op] extends undefined ? [params?: undefined, discriminator?: string] : [params: StepParamsByOp[Op], discriminator?: string]
): Step {
  const [params, discriminator] = rest;
  const s = { id: discriminator ? `${op}:${discriminator}` : op, op, description } as StepOf<Op>;
  if (host !== undefined) s.host = host;
  if (params !== undefined) (s as { params?: unknown }).params = params;
  return s as unknown as Step;
}

export const ALL_BINARIES: readonly KubeComponent[] = ALL_COMPONENTS;

export function installBinariesStep(host: string, version: string, components: readonly KubeComponent[], discriminator?: string): Step {
  return step(
    'host.binaries.install',
    host,
    `install ${components.join(', ')} ${version} on ${host}`,
    { version, components: [...components] },
    discriminator,
  );
}

/** The Node name a host registers (or registered) under: the observed Node's, else the registration rule. */
export function nodeNameOf(host: Pick<HostView, 'node'> & Parameters<typeof registeredNodeName>[0]): string {
  return host.node?.name ?? registeredNodeName(host);
}
