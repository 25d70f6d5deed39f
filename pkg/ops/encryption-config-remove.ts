// encryption.config.remove: deletes one encryption configuration of a control plane, once no
// apiserver reads it and no Secret can still need its keys (the planner orders that).
import type { JSONSchemaType } from 'ajv';
import { ENCRYPTION_CONFIG_PATHS } from '../encryption/config.js';
import { shq } from '../scripts/shell.js';
import { SshError } from '../ssh/types.js';
import { stepHost } from './context.js';
import { encryptionRemoveModel } from './encryption-model.js';
import { defineOp } from './types.js';

export interface EncryptionRemoveParams {
  path: string;
}

const PARAMS: JSONSchemaType<EncryptionRemoveParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: { path: { type: 'string', enum: [...ENCRYPTION_CONFIG_PATHS] } },
};

export const encryptionConfigRemove = defineOp<EncryptionRemoveParams>({
  summary: 'remove an encryption configuration no apiserver uses any more',
  params: PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }, { path }) {
    const { t } = await stepHost(deps, step.host);
    const res = await t.exec(`sudo rm -f -- ${shq(path)}`);
    if (res.code !== 0) throw new SshError(t.host, 'commandFailed', `removing ${path} failed: ${res.stderr.trim()}`);
  },
  stillDone: ({ host }, { path }) => !host?.encryption?.files[path],
  model: (world, { path }, host) => encryptionRemoveModel(world.host(host), path),
});
