// What pkg/kube/core-api.ts imports lazily, by name (see there).
export { CoreV1Api, PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
