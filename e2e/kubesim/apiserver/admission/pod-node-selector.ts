// The PodNodeSelector admission plugin on pod creation (plugin/pkg/admission/podnodeselector):
// the namespace's scheduler.alpha.kubernetes.io/node-selector annotation (else the plugin's
// clusterDefaultNodeSelector) is merged into the pod's nodeSelector; a pod whose own selector
// conflicts with it, or leaves the namespace's whitelist, is forbidden.
import { errors } from '../http/status.js';
import type { RequestContext } from '../handlers/context.js';
import { BUILTIN_RESOURCES } from '../registry/builtin-resources.js';
import type { KubeObject } from '../storage/object-store.js';
import { selectorMap, type PodNodeSelectorConfig } from './admission-config.js';

const ANNOTATION = 'scheduler.alpha.kubernetes.io/node-selector';
const namespacesDef = BUILTIN_RESOURCES.find((d) => d.plural === 'namespaces')!;

export async function admitPodNodeSelector(ctx: RequestContext, config: PodNodeSelectorConfig, pod: KubeObject): Promise<void> {
  const namespace = String(pod.metadata.namespace ?? ctx.namespace ?? '');
  const ns = await ctx.deps.store.get(namespacesDef, undefined, namespace);
  const annotated = ns?.object.metadata.annotations?.[ANNOTATION] as string | undefined;
  const nsSelector = selectorMap(annotated ?? config.selectors.clusterDefaultNodeSelector ?? '', 'node selector');
  const podSelector = { ...((pod.spec?.nodeSelector as Record<string, string> | undefined) ?? {}) };
  const forbid = (why: string) => errors.forbidden(`pods "${pod.metadata.name ?? ''}" is forbidden: ${why}`);
  if (Object.entries(nsSelector).some(([k, v]) => k in podSelector && podSelector[k] !== v)) {
    throw forbid('pod node label selector conflicts with its namespace node label selector');
  }
  const merged = { ...nsSelector, ...podSelector };
  const whitelist = selectorMap(config.selectors[namespace] ?? '', 'whitelist');
  if (Object.keys(whitelist).length > 0 && !Object.entries(merged).every(([k, v]) => whitelist[k] === v)) {
    throw forbid('pod node label selector labels conflict with its namespace whitelist');
  }
  if (Object.keys(merged).length > 0) {
    pod.spec ??= {};
    pod.spec.nodeSelector = merged;
  }
}
