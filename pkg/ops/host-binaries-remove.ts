// host.binaries.remove: kubeone reset --remove-binaries.
import type { JSONSchemaType } from 'ajv';
import { type KubeComponent, renderBinariesRemove } from '../scripts/binaries.js';
import { familyOf, runScript, stepHost } from './context.js';
import { COMPONENTS } from './params.js';
import { defineOp } from './types.js';

export interface BinariesRemoveParams {
  components: KubeComponent[];
}

const PARAMS: JSONSchemaType<BinariesRemoveParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['components'],
  properties: { components: COMPONENTS },
};

export const hostBinariesRemove = defineOp<BinariesRemoveParams>({
  summary: 'remove kubeadm, kubelet and kubectl',
  params: PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const { host, t } = await stepHost(deps, step.host);
    await runScript(t, renderBinariesRemove(familyOf(deps, host)), 'remove kube binaries');
  },
  stillDone: ({ host }, { components }) => components.every((c) => !host?.[c]?.version),
  model(world, _params, host) {
    const h = world.host(host);
    h.kubeadm = { version: '' };
    h.kubectl = { version: '' };
    h.kubelet = { ...h.kubelet!, version: '' };
    h.binaries = { origin: 'none', version: '' };
  },
});
