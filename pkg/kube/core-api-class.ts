// What pkg/kube/core-api.ts imports lazily, by name (see there).
import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';

export { CoreV1Api } from '@kubernetes/client-node';

/** Request options for a JSON merge patch (what `kubectl patch --type merge` sends). */
export function mergePatchHeaderOptions(): ReturnType<typeof setHeaderOptions> {
  return setHeaderOptions('Content-Type', PatchStrategy.MergePatch);
}
