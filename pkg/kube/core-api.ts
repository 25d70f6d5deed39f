// The CoreV1 client of a kubeconfig, for the ops that call the API directly. client-node is
// imported on first use and by name (not `import('@kubernetes/client-node')`, whose whole
// namespace the CLI's bundle would then have to keep): the bundle keeps only what is named.
import type { CoreV1Api, KubeConfig } from '@kubernetes/client-node';

export async function coreApi(kubeConfig: unknown): Promise<CoreV1Api> {
  const { CoreV1Api: Api } = await import('./core-api-class.js');
  return (kubeConfig as KubeConfig).makeApiClient(Api);
}

/** setHeaderOptions for a JSON merge patch (what `kubectl patch --type merge` sends). */
export async function mergePatchOptions(): Promise<ReturnType<typeof import('@kubernetes/client-node').setHeaderOptions>> {
  const { setHeaderOptions, PatchStrategy } = await import('./core-api-class.js');
  return setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
}
