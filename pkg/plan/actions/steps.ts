// Small constructors for the executor's steps (ops and params are the executor's contract).
import type { KubeBinary, Step, StepOp, StepParamsByOp } from '../types.js';

/** A step whose params are checked against the executor's contract (StepParamsByOp). */
export function step<Op extends StepOp>(
  op: Op,
  host: string | undefined,
  description: string,
  ...rest: StepParamsByOp[Op] extends undefined ? [params?: undefined, discriminator?: string] : [params: StepParamsByOp[Op], discriminator?: string]
): Step {
  const [params, discriminator] = rest;
  const s: Step = { id: discriminator ? `${op}:${discriminator}` : op, op, description };
  if (host !== undefined) s.host = host;
  if (params !== undefined) s.params = params as Record<string, unknown>;
  return s;
}

export const ALL_BINARIES: readonly KubeBinary[] = ['kubeadm', 'kubelet', 'kubectl'];

export function installBinariesStep(host: string, version: string, components: readonly KubeBinary[], discriminator?: string): Step {
  return step(
    'host.binaries.install',
    host,
    `install ${components.join(', ')} ${version} on ${host}`,
    { version, components: [...components] },
    discriminator,
  );
}

/** The Node name a host registers (or registered) under. */
export function nodeNameOf(host: { name: string; node?: { name: string } | undefined; config: { hostname?: string } }): string {
  return host.node?.name ?? host.config.hostname ?? host.name;
}
