// Reading and writing encryption configurations on the control planes, for the encryption ops.
// Key material stays in memory: file contents never go into an error, an event or the journal.
import { hostNamed } from '../api/former-host.js';
import { sha256Hex } from '../api/sha256.js';
import { type EncryptionConfig, type EncryptionKey, GENERATED_CONFIG_PATH, parseEncryptionConfiguration } from '../encryption/config.js';
import { shq } from '../scripts/shell.js';
import { type HostTransport, SshError } from '../ssh/types.js';
import type { OpDeps } from './context.js';
import { PreconditionError } from './errors.js';

/** The file's text, or null when it does not exist. */
export async function readIfExists(t: HostTransport, path: string): Promise<string | null> {
  const res = await t.exec(`if sudo test -f ${shq(path)}; then sudo cat -- ${shq(path)}; else exit 3; fi`);
  if (res.code === 3) return null;
  if (res.code !== 0) throw new SshError(t.host, 'commandFailed', `reading ${path} failed (exit ${res.code})`);
  return res.stdout;
}

/** Parses a configuration read from a host; a file the apiserver would refuse is an error naming the host, never its content. */
export function parseHostConfig(host: string, path: string, text: string): EncryptionConfig {
  const { config, problems } = parseEncryptionConfiguration(text);
  if (!config) throw new PreconditionError(`${host}: ${path} is not a valid EncryptionConfiguration (${problems[0] ?? 'unreadable'})`);
  return config;
}

/** Writes the file (root, 0600) when its bytes differ; returns whether it changed. */
export async function writeConfigFile(t: HostTransport, path: string, content: string): Promise<boolean> {
  const res = await t.exec(`sudo sha256sum ${shq(path)} 2>/dev/null | cut -d' ' -f1`);
  if (res.stdout.trim() === sha256Hex(content)) return false;
  await t.writeFile(path, content, { mode: 0o600, owner: 'root:root' });
  return true;
}

/** The control planes the run can reach (the snapshot's view), the step's own host first. */
function controlPlanes(deps: OpDeps, first: string): string[] {
  const names = deps.loaded.hosts.filter((h) => h.role === 'controlPlane').map((h) => h.name);
  return [first, ...names.filter((n) => n !== first)].filter((n) => hostNamed(deps.loaded.hosts, deps.snapshot.state.hosts, n));
}

/**
 * Every aescbc key of the generated configurations on the control planes, by name. The same
 * name with two different secrets means the control planes disagree: nothing is written then.
 * Every control plane is asked: a new key may only be created when none of them has it.
 */
export async function generatedKeys(deps: OpDeps, self: string): Promise<Map<string, EncryptionKey>> {
  const keys = new Map<string, EncryptionKey>();
  for (const name of controlPlanes(deps, self)) {
    const text = await readIfExists(await deps.transport(name), GENERATED_CONFIG_PATH);
    if (text === null) continue;
    for (const r of parseHostConfig(name, GENERATED_CONFIG_PATH, text).resources) {
      for (const p of r.providers) {
        if (p.type !== 'aescbc') continue;
        for (const k of p.keys) {
          const seen = keys.get(k.name);
          if (seen && seen.secret !== k.secret) throw new PreconditionError(`the control planes hold two different keys named ${k.name} (${name} differs): fix ${GENERATED_CONFIG_PATH} by hand first`);
          keys.set(k.name, k);
        }
      }
    }
  }
  return keys;
}
