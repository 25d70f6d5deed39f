import { providerName } from './provider.js';
import type { KubeOneCluster } from './types.js';

/** Non-fatal remarks KubeOne also prints, computed from the manifest as written. */
export function collectWarnings(raw: KubeOneCluster): string[] {
  const w: string[] = [];
  const p = providerName(raw.cloudProvider);
  if (p === 'nutanix') w.push('the Nutanix cloud provider support is alpha');
  if (raw.cloudProvider?.external === false && p && p !== 'none' && p !== 'vmwareCloudDirector') {
    w.push('cloudProvider.external: false is overridden to true: in-tree cloud providers are no longer supported');
  }
  if (p && p !== 'none' && raw.machineController?.deploy === undefined) {
    w.push('machineController.deploy is unset and defaults to true for cloud providers (as KubeOne): machine-controller and operating-system-manager are deployed; set machineController.deploy: false to leave them out');
  }
  if (raw.controlPlaneComponents) w.push('controlPlaneComponents is used: overriding control-plane flags is at your own risk');
  if (raw.addons?.globalParams) w.push('addons.globalParams is merged into every addon\'s params here; KubeOne 1.14 ignores it in v1beta2');
  if (raw.caBundle) w.push('caBundle is deprecated: use certificateAuthority.bundle');
  return w;
}
