// The CoreV1 client of a kubeconfig, for the ops that call the API directly. client-node is
// imported on first use and by name (not `import('@kubernetes/client-node')`, whose whole
// namespace the CLI's bundle would then have to keep): the bundle keeps only what is named.
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

export async function coreApi(kubeConfig: unknown): Promise<CoreV1Api> {
  const { CoreV1Api: Api } = await import('./core-api-class.js');
  return (kubeConfig as KubeConfig).makeApiClient(Api);
}

/** mergePatchHeaderOptions, for ops that load client-node on first use. */
export async function mergePatchOptions(): Promise<ReturnType<typeof import('./core-api-class.js').mergePatchHeaderOptions>> {
  const { mergePatchHeaderOptions } = await import('./core-api-class.js');
  return mergePatchHeaderOptions();
}
