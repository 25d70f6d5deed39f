// node.* ops through the Kubernetes API: cordon, drain (evict everything but DaemonSet and
// mirror pods, wait until they are gone), uncordon, delete, metadata, wait for Ready.
import type { OpRegistry, StepContext } from '../types.js';
import type { OpDeps } from './context.js';
import { nodeOfStep } from '../resume.js';
import { servingCsrProblem, servingCsrsOf } from '../../kube/kubelet-serving-csr.js';

class TransientError extends Error {
  readonly transient = true;
}

/**
 * After init/join a node only has to register: it turns Ready once the CNI addon runs,
 * which the plan applies after the init. Elsewhere (upgrades) it must be Ready.
 * `params.ready` overrides.
 */
const REGISTER_ONLY = new Set(['init-control-plane', 'join-control-plane', 'join-worker']);
function mustBeReady(ctx: StepContext): boolean {
  const explicit = ctx.step.params?.ready;
  if (typeof explicit === 'boolean') return explicit;
  return !REGISTER_ONLY.has(ctx.action.kind);
}

/** The plan's `key-` (kubectl style) means remove: null in a JSON merge patch. */
export function toMergePatch(changes: Record<string, string>): Record<string, string | null> {
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(changes)) {
    if (key.endsWith('-')) out[key.slice(0, -1)] = null;
    else out[key] = value;
  }
  return out;
}

function nodeName(deps: OpDeps, ctx: StepContext): string {
  const name = nodeOfStep(ctx.step);
  if (!name) throw new Error(`${ctx.step.id}: no node named`);
  // Steps name the host; the Node is the host's hostname when the manifest gives one.
  const host = deps.loaded.hosts.find((h) => h.name === name);
  return host?.config.hostname || name;
}

async function drain(deps: OpDeps, ctx: StepContext, name: string): Promise<void> {
  const kube = await deps.kube();
  await kube.patchNode(name, { unschedulable: true });
  const deadline = deps.clock.now().getTime() + (deps.drainTimeoutMs ?? 5 * 60_000);
  for (;;) {
    const pods = (await kube.podsOnNode(name)).filter((p) => !p.skip);
    if (pods.length === 0) return;
    for (const pod of pods) await kube.evict(pod.namespace, pod.name);
    if (deps.clock.now().getTime() > deadline) {
      throw new Error(`drain ${name}: ${pods.length} pod(s) still running after the timeout: ${pods.map((p) => `${p.namespace}/${p.name}`).join(', ')}`);
    }
    await deps.clock.sleep(2000, ctx.signal);
  }
}

const SERVING_CERT = '/var/lib/kubelet/pki/kubelet-server-current.pem';

/**
 * After a node registers (init, join, upgrade), approve its kubelet's serving certificate requests
 * as KubeOne does (serverTLSBootstrap: nothing in Kubernetes approves those), until the kubelet
 * holds its certificate: a kubelet restarted before its request was answered files a new one,
 * so approving once is not enough. A request that is not the node's own is refused, failing the
 * step. Gives up quietly after a minute, as KubeOne does when it finds no request.
 */
async function approveServingCertificate(deps: OpDeps, ctx: StepContext, node: string): Promise<void> {
  const kube = await deps.kube();
  const t = ctx.step.host ? await deps.transport(ctx.step.host) : null;
  const hasCert = async () => (t ? (await t.exec(`sudo test -s ${SERVING_CERT}`)).code === 0 : true);
  const deadline = deps.clock.now().getTime() + Math.min(deps.waitReadyTimeoutMs ?? 60_000, 60_000);
  for (;;) {
    for (const csr of servingCsrsOf(await kube.listCsrs(), node).pending) {
      const problem = servingCsrProblem(csr, node);
      if (problem) throw new Error(`kubelet serving certificate request ${csr.name} of node ${node} not approved: ${problem}`);
      await kube.approveCsr(csr.name, 'KubeOneApprovedServingCertificate');
    }
    if ((await hasCert()) || deps.clock.now().getTime() >= deadline) return;
    await deps.clock.sleep(2000, ctx.signal);
  }
}

export function nodeOps(deps: OpDeps): OpRegistry {
  return {
    'node.cordon': async (ctx) => {
      const kube = await deps.kube();
      const name = nodeName(deps, ctx);
      const node = await kube.getNode(name);
      if (node && !node.unschedulable) await kube.patchNode(name, { unschedulable: true });
    },
    'node.drain': (ctx) => drain(deps, ctx, nodeName(deps, ctx)),
    'node.uncordon': async (ctx) => {
      const kube = await deps.kube();
      const name = nodeName(deps, ctx);
      const node = await kube.getNode(name);
      if (node?.unschedulable) await kube.patchNode(name, { unschedulable: false });
    },
    'node.delete': async (ctx) => {
      await (await deps.kube()).deleteNode(nodeName(deps, ctx));
    },
    'node.metadata': async (ctx) => {
      const kube = await deps.kube();
      const p = ctx.step.params ?? {};
      await kube.patchNode(nodeName(deps, ctx), {
        ...(p.labels ? { labels: toMergePatch(p.labels as Record<string, string>) } : {}),
        ...(p.annotations ? { annotations: toMergePatch(p.annotations as Record<string, string>) } : {}),
        ...(p.taints ? { taints: p.taints as { key: string; value?: string; effect: string }[] } : {}),
      });
    },
    'node.waitReady': async (ctx) => {
      const kube = await deps.kube();
      const name = nodeName(deps, ctx);
      const ready = mustBeReady(ctx);
      const deadline = deps.clock.now().getTime() + (deps.waitReadyTimeoutMs ?? 5 * 60_000);
      let lastError = '';
      for (;;) {
        // The apiserver may still be starting (or restarting after a kubelet restart): keep asking.
        const node = await kube.getNode(name).catch((error: Error) => {
          lastError = `: ${error.message}`;
          return null;
        });
        if (node && (node.ready || !ready)) {
          await approveServingCertificate(deps, ctx, name);
          return;
        }
        if (deps.clock.now().getTime() > deadline) {
          // Transient: a slow CNI start is worth another round of the retry policy.
          throw new TransientError(`node ${name} ${ready ? 'not Ready' : 'not registered'} after the timeout${node ? '' : lastError}`);
        }
        await deps.clock.sleep(2000, ctx.signal);
      }
    },
  };
}
