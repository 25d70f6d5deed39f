/**
 * Addons that patch objects owned by someone else (kubeadm's CoreDNS Deployment): their
 * objects are applied but never pruned, since deleting them would delete the target.
 */
export const PATCH_ADDONS: ReadonlySet<string> = new Set(['coredns-patch']);
