// What a control plane needs on disk before kubeadm starts its components there (init or
// join): the audit policy, admission files and CA bundle of the manifest, and the encryption
// configuration the apiserver flag will name: a new one on the leader of a new cluster,
// otherwise a copy of the leader's (the same keys on every apiserver).
import { ENCRYPTION_CONFIG_PATHS, GENERATED_CONFIG_PATH } from '../../encryption/config.js';
import { desiredEncryptionPath } from '../../encryption/desired.js';
import { initialKeyName } from '../../encryption/keys.js';
import { fileGroupOf } from '../../desired/file-groups.js';
import type { PlanContext } from '../context.js';
import type { HostView } from '../host-state.js';
import type { Step } from '../types.js';
import { step } from './steps.js';

/** --encryption-provider-config of a ClusterConfiguration ('' when not set). */
export function encryptionFlagOf(config: Record<string, unknown> | null | undefined): string {
  const args = ((config?.apiServer ?? {}) as { extraArgs?: unknown }).extraArgs;
  if (Array.isArray(args)) return String(args.find((a: { name?: string }) => a?.name === 'encryption-provider-config')?.value ?? '');
  if (args && typeof args === 'object') return String((args as Record<string, unknown>)['encryption-provider-config'] ?? '');
  return '';
}

/** `leader`: the control plane a joining host copies from (none for the init). */
export function controlPlaneInputSteps(ctx: PlanContext, host: HostView, leader?: string): Step[] {
  const out: Step[] = [];
  if (Object.keys(ctx.desired.managedFiles[host.name] ?? {}).some((p) => fileGroupOf(p) === 'control-plane')) {
    out.push(step('host.controlplane.files', host.name, `write the audit policy, admission configuration and CA bundle on ${host.name}`));
  }
  const desired = ctx.desired.encryption ?? { mode: 'off' };
  if (leader === undefined) {
    if (desired.mode === 'generated') {
      const key = initialKeyName(ctx.desired.cluster.cluster.name ?? '');
      out.push(step('encryption.config.write', host.name, `write a new encryption configuration (aescbc key ${key}) on ${host.name}`, { path: GENERATED_CONFIG_PATH, source: 'generated', keys: [key], generate: key }));
    } else if (desired.mode === 'custom') {
      out.push(step('encryption.config.write', host.name, `write customEncryptionConfiguration on ${host.name}`, { path: desired.path, source: 'custom' }));
    }
    return out;
  }
  // A new cluster: the leader's configuration is the manifest's; an existing one: the flag the cluster's ClusterConfiguration gives the join.
  const path = ctx.mode === 'create' ? desiredEncryptionPath(desired) : encryptionFlagOf(ctx.kube?.clusterConfiguration);
  if ((ENCRYPTION_CONFIG_PATHS as readonly string[]).includes(path)) out.push(step('encryption.config.write', host.name, `copy ${path} from ${leader} to ${host.name}`, { path, source: 'copy', from: leader }));
  return out;
}
