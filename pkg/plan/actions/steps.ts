// Small constructors for the executor's steps (ops and params are the executor's contract).
import type { Step, StepOp } from '../types.js';

export function step(
  op: StepOp,
  host: string | undefined,
  description: string,
  params?: Record<string, unknown>,
  discriminator?: string,
): Step {
  const s: Step = { id: discriminator ? `${op}:${discriminator}` : op, op, description };
  if (host !== undefined) s.host = host;
  if (params !== undefined) s.params = params;
  return s;
}

export const ALL_BINARIES = ['kubeadm', 'kubelet', 'kubectl'] as const;

export function installBinariesStep(host: string, version: string, components: readonly string[], discriminator?: string): Step {
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
