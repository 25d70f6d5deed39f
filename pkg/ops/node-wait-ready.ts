// node.waitReady: after init or join a Node only has to register (it turns Ready once the CNI
// addon runs, which the plan applies later); after an upgrade it must be Ready. Then the
// kubelet's serving certificate request is approved, as KubeOne does.
import type { JSONSchemaType } from 'ajv';
import { servingCsrProblem, servingCsrsOf } from '../kube/kubelet-serving-csr.js';
import type { OpDeps } from './context.js';
import { TransientError } from './errors.js';
import { NAME } from './params.js';
import { defineOp } from './types.js';

export interface WaitReadyParams {
  node: string;
  /** true: wait for Ready; false: registered is enough. */
  ready: boolean;
}

const PARAMS: JSONSchemaType<WaitReadyParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['node', 'ready'],
  properties: { node: NAME, ready: { type: 'boolean' } },
};

const SERVING_CERT = '/var/lib/kubelet/pki/kubelet-server-current.pem';

/**
 * After a node registers (init, join, upgrade), approve its kubelet's serving certificate requests
 * as KubeOne does (serverTLSBootstrap: nothing in Kubernetes approves those), until the kubelet
 * holds its certificate: a kubelet restarted before its request was answered files a new one,
 * so approving once is not enough. A request that is not the node's own is refused, failing the
 * step. Gives up quietly after a minute, as KubeOne does when it finds no request.
 */
async function approveServingCertificate(deps: OpDeps, host: string | undefined, node: string, signal: AbortSignal | undefined): Promise<void> {
  const kube = await deps.kube();
  const t = host ? await deps.transport(host) : null;
  const hasCert = async () => (t ? (await t.exec(`sudo test -s ${SERVING_CERT}`)).code === 0 : true);
  const deadline = deps.clock.now().getTime() + Math.min(deps.waitReadyTimeoutMs ?? 60_000, 60_000);
  for (;;) {
    for (const csr of servingCsrsOf(await kube.listCsrs(), node).pending) {
      const problem = servingCsrProblem(csr, node);
      if (problem) throw new Error(`kubelet serving certificate request ${csr.name} of node ${node} not approved: ${problem}`);
      await kube.approveCsr(csr.name, 'KubeOneApprovedServingCertificate');
    }
    if ((await hasCert()) || deps.clock.now().getTime() >= deadline) return;
    await deps.clock.sleep(2000, signal);
  }
}

export const nodeWaitReady = defineOp<WaitReadyParams>({
  summary: 'wait until the Node is registered (after a join) or Ready (after an upgrade)',
  params: PARAMS,
  changes: 'nothing',
  marksInflight: false,
  node: ({ node }) => node,
  async run({ deps, step, signal }, { node: name, ready }) {
    const kube = await deps.kube();
    const deadline = deps.clock.now().getTime() + (deps.waitReadyTimeoutMs ?? 5 * 60_000);
    let lastError = '';
    for (;;) {
      // The apiserver may still be starting (or restarting after a kubelet restart): keep asking.
      const node = await kube.getNode(name).catch((error: Error) => {
        lastError = `: ${error.message}`;
        return null;
      });
      if (node && (node.ready || !ready)) {
        await approveServingCertificate(deps, step.host, name, signal);
        return;
      }
      if (deps.clock.now().getTime() > deadline) {
        // Transient: a slow CNI start is worth another round of the retry policy.
        throw new TransientError(`node ${name} ${ready ? 'not Ready' : 'not registered'} after the timeout${node ? '' : lastError}`);
      }
      await deps.clock.sleep(2000, signal);
    }
  },
  stillDone: () => true,
  model: () => undefined,
});
