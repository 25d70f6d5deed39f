// What `kubeone reset` removes from the cluster before it tears the hosts down, because a cloud
// keeps (and bills) it otherwise: Services of type LoadBalancer (the CCM made a load balancer
// for each), PersistentVolumeClaims and the volumes a provisioner made that the cluster would
// delete with them (reclaim policy Delete). Names only, sorted.
import type { CoreV1Api, V1PersistentVolume, V1Service } from '@kubernetes/client-node';
import type { CloudResourceFacts } from '../snapshot/types.js';

/** The annotation a provisioner sets on the PersistentVolumes it made (KubeOne's test of "dynamically provisioned"). */
export const PROVISIONED_BY = 'pv.kubernetes.io/provisioned-by';

/** `namespace/name`, as the facts and the messages name objects. */
export const nsName = (o: { metadata?: { namespace?: string; name?: string } }): string => `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
const byCodeUnit = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

export const isLoadBalancer = (s: V1Service): boolean => s.spec?.type === 'LoadBalancer';

/** Dynamically provisioned and not retained: deleting its claim deletes it (and the cloud disk). */
export const isDynamicUnretained = (pv: V1PersistentVolume): boolean =>
  Boolean(pv.metadata?.annotations?.[PROVISIONED_BY]) && pv.spec?.persistentVolumeReclaimPolicy === 'Delete';

export async function readCloudResources(core: Pick<CoreV1Api, 'listServiceForAllNamespaces' | 'listPersistentVolumeClaimForAllNamespaces' | 'listPersistentVolume'>): Promise<CloudResourceFacts> {
  const [services, claims, volumes] = await Promise.all([core.listServiceForAllNamespaces(), core.listPersistentVolumeClaimForAllNamespaces(), core.listPersistentVolume()]);
  return {
    loadBalancerServices: services.items.filter(isLoadBalancer).map(nsName).sort(byCodeUnit),
    volumeClaims: claims.items.map(nsName).sort(byCodeUnit),
    dynamicVolumes: volumes.items.filter(isDynamicUnretained).map((v) => v.metadata?.name ?? '').sort(byCodeUnit),
  };
}
