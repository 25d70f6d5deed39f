// The kube-apiserver admission plugins KubeOne 1.14 enables explicitly (--enable-admission-plugins),
// per Kubernetes minor: upstream's default set plus NodeRestriction (CIS 1.2.16). Features append
// their own plugins after these (AlwaysPullImages, PodNodeSelector, EventRateLimit).

/** 1.34 and older minors (KubeOne keeps one list, in this order, for everything before 1.35). */
const UP_TO_1_34 = [
  'NamespaceLifecycle',
  'LimitRanger',
  'ServiceAccount',
  'TaintNodesByCondition',
  'NodeRestriction',
  'PodSecurity',
  'Priority',
  'DefaultTolerationSeconds',
  'DefaultStorageClass',
  'StorageObjectInUseProtection',
  'PersistentVolumeClaimResize',
  'RuntimeClass',
  'CertificateApproval',
  'CertificateSigning',
  'ClusterTrustBundleAttest',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'PodTopologyLabels',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionWebhook',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
  'ResourceQuota',
];

const FROM_1_35 = [
  'CertificateApproval',
  'CertificateSigning',
  'CertificateSubjectRestriction',
  'DefaultIngressClass',
  'DefaultStorageClass',
  'DefaultTolerationSeconds',
  'LimitRanger',
  'MutatingAdmissionWebhook',
  'NamespaceLifecycle',
  'NodeRestriction',
  'PersistentVolumeClaimResize',
  'PodSecurity',
  'Priority',
  'ResourceQuota',
  'RuntimeClass',
  'ServiceAccount',
  'StorageObjectInUseProtection',
  'TaintNodesByCondition',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionWebhook',
];

/** 1.36 adds PodGroupProtection (alphabetically placed). */
const FROM_1_36 = [...FROM_1_35.slice(0, FROM_1_35.indexOf('PodSecurity')), 'PodGroupProtection', ...FROM_1_35.slice(FROM_1_35.indexOf('PodSecurity'))];

/** The default --enable-admission-plugins list for a Kubernetes version (`1.35.1`, `v1.36.0`). */
export function defaultAdmissionPlugins(kubernetesVersion: string): string[] {
  const minor = Number(kubernetesVersion.replace(/^v/, '').split('.')[1] ?? '0');
  if (minor >= 36) return [...FROM_1_36];
  if (minor === 35) return [...FROM_1_35];
  return [...UP_TO_1_34];
}
