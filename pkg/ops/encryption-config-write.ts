// encryption.config.write: one control plane's encryption configuration, as the planner's phase
// asks it: KubeOne's generated configuration with the named keys (a key is taken from whichever
// control plane holds it; only the phase's new key may be created, and only when no control
// plane has it yet), the manifest's customEncryptionConfiguration, the current configuration
// with identity first (decrypting), or a copy of another control plane's file (a joining one).
// The apiserver reads the file at start: the phase restarts it afterwards.
import type { JSONSchemaType } from 'ajv';
import {
  ENCRYPTION_CONFIG_PATHS,
  type EncryptionKey,
  generatedConfig,
  generatedView,
  identityFirstOf,
  KEY_NAME,
  newAescbcSecret,
  parseEncryptionConfiguration,
  renderEncryptionConfiguration,
} from '../encryption/config.js';
import { stepHost } from './context.js';
import { generatedKeys, parseHostConfig, readIfExists, writeConfigFile } from './encryption-files.js';
import { PreconditionError } from './errors.js';
import { encryptionWriteModel } from './encryption-model.js';
import { NAME } from './params.js';
import { defineOp } from './types.js';

export interface EncryptionWriteParams {
  path: string;
  source: 'generated' | 'custom' | 'identity-first' | 'copy';
  /** generated: the key names, primary first. */
  keys?: string[];
  /** generated: identity first (writes go out in clear; every key still reads). */
  identityFirst?: boolean;
  /** generated: the one new key this step may create. */
  generate?: string;
  /** copy: the control plane whose file is copied. */
  from?: string;
}

const KEY: JSONSchemaType<string> = { type: 'string', pattern: KEY_NAME.source };

const PARAMS: JSONSchemaType<EncryptionWriteParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'source'],
  properties: {
    path: { type: 'string', enum: [...ENCRYPTION_CONFIG_PATHS] },
    source: { type: 'string', enum: ['generated', 'custom', 'identity-first', 'copy'] },
    keys: { type: 'array', nullable: true, minItems: 1, items: KEY },
    identityFirst: { type: 'boolean', nullable: true },
    generate: { ...KEY, nullable: true },
    from: { ...NAME, nullable: true },
  },
};

/** The manifest's customEncryptionConfiguration, rendered in block style (the probe reads block style only). */
export function customConfigText(custom: string | undefined): string {
  const { config } = parseEncryptionConfiguration(custom ?? '');
  if (!config) throw new PreconditionError('features.encryptionProviders.customEncryptionConfiguration is not set or not valid');
  return renderEncryptionConfiguration(config);
}

export const encryptionConfigWrite = defineOp<EncryptionWriteParams>({
  summary: "write a control plane's encryption configuration (generated keys, the custom configuration, identity first, or a copy)",
  params: PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }, p) {
    const { t, host } = await stepHost(deps, step.host);
    let content: string;
    if (p.source === 'custom') {
      content = customConfigText(deps.loaded.cluster.features?.encryptionProviders?.customEncryptionConfiguration);
    } else if (p.source === 'copy') {
      if (!p.from) throw new PreconditionError('encryption.config.write: copy without a source host');
      const text = await readIfExists(await deps.transport(p.from), p.path);
      if (text === null) throw new PreconditionError(`${p.from}: ${p.path} does not exist, nothing to copy to ${host.name}`);
      parseHostConfig(p.from, p.path, text);
      content = text;
    } else if (p.source === 'identity-first') {
      const text = await readIfExists(t, p.path);
      if (text === null) throw new PreconditionError(`${host.name}: ${p.path} does not exist, nothing to decrypt with`);
      content = renderEncryptionConfiguration(identityFirstOf(parseHostConfig(host.name, p.path, text)));
    } else {
      const names = p.keys ?? [];
      const known = await generatedKeys(deps, host.name);
      const keys: EncryptionKey[] = names.map((name) => {
        const key = known.get(name);
        if (key) return key;
        if (name !== p.generate) throw new PreconditionError(`key ${name} is on no control plane: the configuration cannot be written without losing it`);
        return { name, secret: newAescbcSecret() };
      });
      content = renderEncryptionConfiguration(generatedConfig(keys, Boolean(p.identityFirst)));
    }
    await writeConfigFile(t, p.path, content);
  },
  stillDone({ host, snapshot, desired }, p) {
    const file = host?.encryption?.files[p.path];
    if (!file) return false;
    if (p.source === 'custom') return desired.encryption?.mode === 'custom' && file.sha256 === desired.encryption.sha256;
    if (p.source === 'copy') return file.sha256 === snapshot.state.hosts.find((h) => h.name === p.from)?.encryption?.files[p.path]?.sha256;
    if (!file.summary) return false;
    if (p.source === 'identity-first') return file.summary.resources.every((r) => r.providers[0]?.type === 'identity');
    const view = generatedView(file.summary);
    return view !== null && view.identityFirst === Boolean(p.identityFirst) && view.keys.map((k) => k.name).join(',') === (p.keys ?? []).join(',');
  },
  model: (world, p, host) => encryptionWriteModel(world, world.host(host), p),
});
