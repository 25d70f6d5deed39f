// Small constructors for the executor's steps (ops and params are the contract in pkg/ops).
import { UPGRADE_IN_PROGRESS_LABEL } from '../../ops/params.js';
import type { KubeComponent } from '../../scripts/binaries.js';
import { nodeNameOf as registeredNodeName } from '../../kubeadm/node-configuration.js';
import type { PlanContext } from '../context.js';
import { controlPlaneInputSteps } from './control-plane-inputs.js';
import type { HostView } from '../host-state.js';
import type { Step, StepOp, StepParamsByOp } from '../types.js';

/** Step ids `<op>:<discriminator>`, made once per pair (a large plan names the same few thousands of times). */
const stepIds = new Map<string, Map<string, string>>();

function stepId(op: string, discriminator: string | undefined): string {
  if (!discriminator) return op;
  let byDiscriminator = stepIds.get(op);
  if (byDiscriminator === undefined) stepIds.set(op, (byDiscriminator = new Map()));
  let id = byDiscriminator.get(discriminator);
  if (id === undefined) byDiscriminator.set(discriminator, (id = `${op}:${discriminator}`));
  return id;
}

/** A step whose params are checked against the op's params type (pkg/ops/registry.ts). */
export function step<Op extends StepOp>(
  op: Op,
  host: string | undefined,
  description: string,
  ...rest: StepParamsByOp[Op] extends undefined ? [params?: undefined, discriminator?: string] : [params: StepParamsByOp[Op], discriminator?: string]
): Step {
  const [params, discriminator] = rest;
  const id = stepId(op, discriminator);
  // Keys in sorted order: `plan -o json` then prints a 5,000-host plan's steps without copying them (canonicalView).
  const s =
    host === undefined
      ? params === undefined ? { description, id, op } : { description, id, op, params }
      : params === undefined ? { description, host, id, op } : { description, host, id, op, params };
  return s as unknown as Step;
}

/** node.uncordon; with `upgrade` it also removes KubeOne's upgrade-in-progress label (one wording for every stage that plans it). */
export function uncordonStep(host: string | undefined, params: { node: string; upgrade?: boolean }): Step {
  const text = params.upgrade ? `uncordon node ${params.node} and remove its ${UPGRADE_IN_PROGRESS_LABEL} label` : `uncordon node ${params.node}`;
  return step('node.uncordon', host, text, params);
}

/**
 * The steps given, without the `false` of conditional ones, in an array of exactly their number
 * (a large plan keeps thousands of step lists; one grown by push keeps spare room).
 */
export function stepList(...steps: (Step | false)[]): Step[] {
  let count = 0;
  for (const s of steps) if (s !== false) count++;
  if (count === steps.length) return steps as Step[];
  const out = new Array<Step>(count);
  let j = 0;
  for (const s of steps) if (s !== false) out[j++] = s;
  return out;
}

/**
 * Params are plain data that nothing changes once planned (the executor, the journal and the
 * views only read them), so steps with equal params may share one object: an upgrade of 5,000
 * hosts has the same `{ version }` and `{ components, version }` in 15,000 steps, and every
 * object a plan keeps costs the garbage collector. Shared params are frozen: a change would
 * throw instead of altering other steps.
 */
export function sharedParams<T extends object>(make: (key: string) => T): (key: string) => T {
  const table = new Map<string, T>();
  return (key) => {
    let params = table.get(key);
    if (params === undefined) table.set(key, (params = deepFreeze(make(key))));
    return params;
  };
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** `{ version }`, shared (kubeadm.upgrade.apply and .node). */
export const versionParams = sharedParams((version) => ({ version }));

/**
 * Install params and the description's start (`install kubeadm 1.35.1 on `), by components,
 * then by version (`<version> force` with force): an upgrade of 5,000 hosts has 10,000 install
 * steps of the same two versions.
 */
const installs = new Map<string, Map<string, { params: StepParamsByOp['host.binaries.install']; described: string }>>();

/** `force` (apply --force-install): installed again even when the host has them at the version. */
export function installBinariesStep(host: string, version: string, components: readonly KubeComponent[], discriminator?: string, force = false): Step {
  const named = components.length === 1 ? components[0]! : components.join(',');
  let byVersion = installs.get(named);
  if (byVersion === undefined) installs.set(named, (byVersion = new Map()));
  const key = force ? `${version} force` : version;
  let install = byVersion.get(key);
  if (install === undefined) {
    const params = deepFreeze({ components: [...components], ...(force ? { force: true } : {}), version });
    byVersion.set(key, (install = { params, described: `install ${components.join(', ')} ${version}${force ? ' again' : ''} on ` }));
  }
  return step('host.binaries.install', host, install.described + host, install.params, discriminator);
}

/** The Node name a host registers (or registered) under: the observed Node's, else the registration rule. */
export function nodeNameOf(host: Pick<HostView, 'node'> & Parameters<typeof registeredNodeName>[0]): string {
  return host.node?.name ?? registeredNodeName(host);
}

/**
 * The steps of a join: a stale kubeadm state (kubelet.conf without a Node) is reset first,
 * since kubeadm would refuse to redo it; a control plane gets the shared CA material from the
 * leader; the Node only has to register (it turns Ready once the CNI runs).
 */
export function joinSteps(ctx: PlanContext, host: HostView, as: { controlPlane: false } | { controlPlane: true; leader: string }): Step[] {
  const node = nodeNameOf(host);
  const out: Step[] = [];
  if (host.joined) out.push(step('kubeadm.reset', host.name, `clean the stale kubeadm state on ${host.name}`));
  if (as.controlPlane) {
    out.push(step('pki.distribute', host.name, `copy the cluster CA and service-account keys from ${as.leader} to ${host.name}`, { from: as.leader }));
    out.push(...controlPlaneInputSteps(ctx, host, as.leader));
  }
  out.push(
    step('kubeadm.config.render', host.name, `render the kubeadm join configuration for ${host.name}`),
    step('kubeadm.join', host.name, `kubeadm join ${host.name} as a ${as.controlPlane ? 'control plane' : 'worker'} (${ctx.version})`, {
      controlPlane: as.controlPlane,
      version: ctx.version,
    }),
    step('host.kubelet.configure', host.name, `write the kubelet flags and configuration on ${host.name}`),
    step('node.waitReady', host.name, `wait for node ${node} to register`, { node, ready: false }),
  );
  return out;
}
