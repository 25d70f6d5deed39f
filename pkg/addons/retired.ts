// Objects an addon deletes by name even though they carry no addon label: KubeOne created them
// without one in older versions and deletes them on every apply while the addon is deployed.
// The probe reads them by name, the planner shows their deletion; the one exception to "prune
// only what kubeone applied", limited to the names listed here.
import type { ObjectRef } from '../plan/types.js';
import { objectKey } from './normalize.js';

/** Written by KubeOne before 1.0 (cloud credentials); KubeOne 1.14 deletes it on every apply. */
export const LEGACY_CREDENTIALS_SECRET: ObjectRef = { apiVersion: 'v1', kind: 'Secret', namespace: 'kube-system', name: 'cloud-provider-credentials' };

/** machine-controller's webhook configuration of older KubeOne versions; KubeOne 1.14 deletes it when it deploys machine-controller. */
export const LEGACY_MACHINE_CONTROLLER_WEBHOOK: ObjectRef = { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', namespace: '', name: 'machine-controller.kubermatic.io' };

export const RETIRED_OBJECTS: Readonly<Record<string, readonly ObjectRef[]>> = {
  'cloud-credentials': [LEGACY_CREDENTIALS_SECRET],
  machinecontroller: [LEGACY_MACHINE_CONTROLLER_WEBHOOK],
};

/** Whether `o` is an object `addon` retires by name (RETIRED_OBJECTS). */
export function isRetired(addon: string, o: ObjectRef): boolean {
  return (RETIRED_OBJECTS[addon] ?? []).some((r) => objectKey(r) === objectKey(o));
}
