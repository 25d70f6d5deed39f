// encryption.secrets.rewrite: every Secret (and ConfigMap, when the configuration names them)
// is written back unchanged, which stores it with the apiservers' current primary provider
// (an object read with another provider is stale, so the apiserver writes it again), as
// Kubernetes documents for key rotation. Then kube-system/kubeone-encryption records the
// configuration (the same file on every control plane, checked before and after) and the
// primary every object now has: the planner drops an old key only after that record says so.
// Objects live in memory only; errors name objects, never their content.
import type { JSONSchemaType } from 'ajv';
import { hostNamed } from '../api/former-host.js';
import { ENCRYPTION_CONFIG_PATHS, REWRITABLE_RESOURCES } from '../encryption/config.js';
import { ENCRYPTION_RECORD_NAME, parseRewriteRecord, rewriteRecordData, sortedPrimaries } from '../encryption/record.js';
import { statusOf } from '../kube/api-status.js';
import { coreApi } from '../kube/core-api.js';
import { shq } from '../scripts/shell.js';
import type { OpDeps } from './context.js';
import { PreconditionError, TransientError } from './errors.js';
import { defineOp } from './types.js';

export interface RewriteParams {
  /** The configuration the apiservers read (--encryption-provider-config). */
  path: string;
  /** Per resource, the provider every apiserver writes it with now (`identity`, `aescbc:<key>`, ...). */
  primaries: Record<string, string>;
  /**
   * Nothing is rewritten: the record already says every object is stored with these primaries,
   * under a configuration that differed from the current one only in keys no object uses (an
   * old key was dropped). The record moves to the current configuration.
   */
  carry?: boolean;
}

const PARAMS: JSONSchemaType<RewriteParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['path', 'primaries'],
  properties: {
    path: { type: 'string', enum: [...ENCRYPTION_CONFIG_PATHS] },
    carry: { type: 'boolean', nullable: true },
    primaries: {
      type: 'object',
      required: [],
      minProperties: 1,
      propertyNames: { type: 'string', enum: [...REWRITABLE_RESOURCES] } as never,
      additionalProperties: { type: 'string', pattern: '^(identity|(aescbc|aesgcm|secretbox|kms):[A-Za-z0-9][A-Za-z0-9._-]{0,127})$' },
    },
  },
};

const PAGE = 250;

type Core = import('@kubernetes/client-node').CoreV1Api;
interface Obj {
  metadata?: { name?: string; namespace?: string };
}

/** One resource's API calls (Secrets and ConfigMaps have the same shape). */
function calls(core: Core, resource: string) {
  if (resource === 'secrets') {
    return {
      list: (cont?: string) => core.listSecretForAllNamespaces({ limit: PAGE, ...(cont ? { _continue: cont } : {}) }),
      read: (namespace: string, name: string) => core.readNamespacedSecret({ namespace, name }),
      replace: (namespace: string, name: string, body: Obj) => core.replaceNamespacedSecret({ namespace, name, body: body as never }),
    };
  }
  return {
    list: (cont?: string) => core.listConfigMapForAllNamespaces({ limit: PAGE, ...(cont ? { _continue: cont } : {}) }),
    read: (namespace: string, name: string) => core.readNamespacedConfigMap({ namespace, name }),
    replace: (namespace: string, name: string, body: Obj) => core.replaceNamespacedConfigMap({ namespace, name, body: body as never }),
  };
}

async function rewriteAll(core: Core, resource: string): Promise<number> {
  const api = calls(core, resource);
  let count = 0;
  let cont: string | undefined;
  do {
    const page = await api.list(cont);
    for (const item of page.items as Obj[]) {
      const namespace = item.metadata?.namespace ?? '';
      const name = item.metadata?.name ?? '';
      for (let attempt = 0; ; attempt++) {
        try {
          await api.replace(namespace, name, attempt === 0 ? item : await api.read(namespace, name));
          count++;
          break;
        } catch (error) {
          const code = statusOf(error);
          if (code === 404) break; // deleted meanwhile: nothing to rewrite
          if (code === 409 && attempt < 5) continue; // changed meanwhile: written with the current key anyway, read it again
          throw new TransientError(`rewriting ${resource} ${namespace}/${name} failed (HTTP ${code ?? '?'})`);
        }
      }
    }
    cont = page.metadata?._continue || undefined;
  } while (cont);
  return count;
}

/** The sha256 of the configuration, the same on every control plane (else nothing is recorded). */
async function configOnEveryControlPlane(deps: OpDeps, path: string): Promise<string> {
  const sums = new Map<string, string>();
  for (const h of deps.loaded.hosts.filter((x) => x.role === 'controlPlane' && hostNamed(deps.loaded.hosts, deps.snapshot.state.hosts, x.name))) {
    const res = await (await deps.transport(h.name)).exec(`sudo sha256sum ${shq(path)} 2>/dev/null | cut -d' ' -f1`);
    sums.set(h.name, res.stdout.trim());
  }
  const distinct = [...new Set(sums.values())];
  if (distinct.length !== 1 || !/^[0-9a-f]{64}$/.test(distinct[0]!)) {
    throw new PreconditionError(`the control planes do not all have the same ${path} (${[...sums].map(([h, s]) => `${h}: ${s ? s.slice(0, 12) : 'none'}`).join(', ')}): the rewrite would not be recorded`);
  }
  return distinct[0]!;
}

export const encryptionSecretsRewrite = defineOp<RewriteParams>({
  summary: 'rewrite every Secret (and ConfigMap) with the current primary encryption provider, then record it',
  params: PARAMS,
  changes: 'cluster',
  marksInflight: false,
  async run({ deps }, { path, primaries, carry }) {
    const config = await configOnEveryControlPlane(deps, path);
    const core = await coreApi(await deps.kubeConfig());
    if (carry) {
      const current = await core.readNamespacedConfigMap({ namespace: 'kube-system', name: ENCRYPTION_RECORD_NAME }).catch(() => null);
      const record = parseRewriteRecord(current?.data);
      if (!record || JSON.stringify(record.primaries) !== JSON.stringify(sortedPrimaries(primaries))) {
        throw new PreconditionError(`kube-system/${ENCRYPTION_RECORD_NAME} does not say every object is stored with ${Object.values(primaries).join(', ')}: nothing is recorded`);
      }
    } else {
      for (const resource of Object.keys(primaries).sort()) await rewriteAll(core, resource);
    }
    if ((await configOnEveryControlPlane(deps, path)) !== config) throw new TransientError(`${path} changed during the rewrite: it is done again`);
    const body = { metadata: { name: ENCRYPTION_RECORD_NAME, namespace: 'kube-system', labels: { 'app.kubernetes.io/managed-by': 'kubeone' } }, data: rewriteRecordData({ config, primaries }) };
    try {
      await core.replaceNamespacedConfigMap({ namespace: 'kube-system', name: ENCRYPTION_RECORD_NAME, body });
    } catch (error) {
      if (statusOf(error) !== 404) throw error;
      await core.createNamespacedConfigMap({ namespace: 'kube-system', body });
    }
  },
  stillDone({ snapshot, desired }, { path, primaries }) {
    const record = snapshot.state.kube?.encryptionRewrite;
    const leader = snapshot.state.kube?.leader;
    const live = snapshot.state.hosts.find((h) => h.name === leader)?.encryption?.files[path]?.sha256;
    return Boolean(record && desired && live === record.config && JSON.stringify(record.primaries) === JSON.stringify(sortedPrimaries(primaries)));
  },
  model(world, { path, primaries, carry }) {
    if (!world.kube) throw new Error('model: rewrite without a cluster');
    if (carry && JSON.stringify(world.kube.encryptionRewrite?.primaries) !== JSON.stringify(sortedPrimaries(primaries))) throw new Error('model: record carried over without a matching record');
    const shas = new Set(world.hosts.filter((h) => h.role === 'controlPlane' && h.reachable && h.adminConf).map((h) => h.encryption?.files[path]?.sha256 ?? ''));
    if (shas.size !== 1 || shas.has('')) throw new Error(`model: rewrite while the control planes have different ${path}`);
    world.kube.encryptionRewrite = { config: [...shas][0]!, primaries: sortedPrimaries(primaries) };
  },
});
