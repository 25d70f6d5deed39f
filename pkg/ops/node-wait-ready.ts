// node.waitReady: after init or join a Node only has to register (it turns Ready once the CNI
// addon runs, which the plan applies later); after an upgrade it must be Ready.
import type { JSONSchemaType } from 'ajv';
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

export const nodeWaitReady = defineOp<WaitReadyParams>({
  summary: 'wait until the Node is registered (after a join) or Ready (after an upgrade)',
  params: PARAMS,
  changes: 'nothing',
  marksInflight: false,
  node: ({ node }) => node,
  async run({ deps, signal }, { node: name, ready }) {
    const kube = await deps.kube();
    const deadline = deps.clock.now().getTime() + (deps.waitReadyTimeoutMs ?? 5 * 60_000);
    let lastError = '';
    for (;;) {
      // The apiserver may still be starting (or restarting after a kubelet restart): keep asking.
      const node = await kube.getNode(name).catch((error: Error) => {
        lastError = `: ${error.message}`;
        return null;
      });
      if (node && (node.ready || !ready)) return;
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
