// pki.distribute: the shared CA material copied leader -> joining control plane through our
// memory (never a local file); only files whose hash differs are written, mode 0600.
import type { JSONSchemaType } from 'ajv';
import type { OpDeps } from './context.js';
import { ensureRemoteFile, hostByName } from './context.js';
import { NAME } from './params.js';
import { PKI_DIR, readSharedPki } from './pki.js';
import { defineOp } from './types.js';

export interface PkiDistributeParams {
  /** The host the material is copied from (the leader). */
  from: string;
}

const PARAMS: JSONSchemaType<PkiDistributeParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['from'],
  properties: { from: NAME },
};

export async function distributePki(deps: OpDeps, from: string, to: string): Promise<void> {
  if (from === to) return;
  const source = await deps.transport(from);
  const target = await deps.transport(to);
  for (const { file, content } of await readSharedPki(source)) {
    // Key material stays in memory; only its hash is compared on the target.
    await ensureRemoteFile(target, { path: `${PKI_DIR}/${file}`, content: content.toString('utf8'), mode: '0600' });
  }
}

export const pkiDistribute = defineOp<PkiDistributeParams>({
  summary: 'copy the cluster CA, front-proxy CA, etcd CA and service-account keys from the leader',
  params: PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }, { from }) {
    await distributePki(deps, from, hostByName(deps, step.host).name);
  },
  // The probe does not hash key material: the journal is trusted (and kubeadm.join copies again).
  stillDone: () => true,
  model: () => undefined,
});
