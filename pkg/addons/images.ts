// `.InternalImages.Get "<Name>"`: KubeOne 1.14's image table (pkg/templates/images), picked
// by Kubernetes version (semver constraints per image), normalized as Docker references
// (docker.io/library/..., digests dropped, :latest when untagged) and with the registry
// replaced by registryConfiguration.overwriteRegistry. "PauseImage" is kubeadm's pause image.
import { pauseImageTag } from '../scripts/containerd-config.js';
import { checkConstraints, parseConstraints, parseVersion } from './template/semver.js';
import { GoStruct, type StructType, own } from './template/values.js';

/** Image name -> (Kubernetes version constraint -> image reference), as KubeOne 1.14.2 lists them. */
export const KUBEONE_IMAGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  // Base resources
  CalicoCNI: { '*': 'quay.io/calico/cni:v3.32.0' },
  CalicoController: { '*': 'quay.io/calico/kube-controllers:v3.32.0' },
  CalicoNode: { '*': 'quay.io/calico/node:v3.32.0' },
  DNSNodeCache: { '*': 'registry.k8s.io/dns/k8s-dns-node-cache:1.26.7' },
  Flannel: { '*': 'docker.io/flannel/flannel:v0.24.4' },
  MachineController: { '*': 'quay.io/kubermatic/machine-controller:v1.66.1' },
  MetricsServer: { '*': 'registry.k8s.io/metrics-server/metrics-server:v0.8.1' },
  OperatingSystemManager: { '*': 'quay.io/kubermatic/operating-system-manager:v1.11.1' },
  // Optional resources
  AwsCCM: {
    '1.34.x': 'registry.k8s.io/provider-aws/cloud-controller-manager:v1.34.0',
    '1.35.x': 'registry.k8s.io/provider-aws/cloud-controller-manager:v1.35.0',
    '>=1.36.x': 'registry.k8s.io/provider-aws/cloud-controller-manager:v1.35.0',
  },
  CSISnapshotController: { '*': 'registry.k8s.io/sig-storage/snapshot-controller:v8.1.1' },
  CSISnapshotWebhook: { '*': 'registry.k8s.io/sig-storage/snapshot-validation-webhook:v8.1.1' },
  AwsEbsCSI: { '*': 'public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.61.1' },
  AwsEbsCSIAttacher: { '*': 'public.ecr.aws/csi-components/csi-attacher:v4.12.0-eksbuild.2' },
  AwsEbsCSILivenessProbe: { '*': 'public.ecr.aws/csi-components/livenessprobe:v2.19.0-eksbuild.2' },
  AwsEbsCSINodeDriverRegistrar: { '*': 'public.ecr.aws/csi-components/csi-node-driver-registrar:v2.17.0-eksbuild.2' },
  AwsEbsCSIProvisioner: { '*': 'public.ecr.aws/csi-components/csi-provisioner:v6.2.0-eksbuild.7' },
  AwsEbsCSIResizer: { '*': 'public.ecr.aws/csi-components/csi-resizer:v2.2.0-eksbuild.2' },
  AwsEbsCSISnapshotter: { '*': 'public.ecr.aws/csi-components/csi-snapshotter:v8.6.0-eksbuild.2' },
  AzureCCM: {
    '1.34.x': 'mcr.microsoft.com/oss/v2/kubernetes/azure-cloud-controller-manager:v1.34.10',
    '1.35.x': 'mcr.microsoft.com/oss/v2/kubernetes/azure-cloud-controller-manager:v1.35.5',
    '>= 1.36.x': 'mcr.microsoft.com/oss/v2/kubernetes/azure-cloud-controller-manager:v1.36.1',
  },
  AzureCNM: {
    '1.34.x': 'mcr.microsoft.com/oss/v2/kubernetes/azure-cloud-node-manager:v1.34.10',
    '1.35.x': 'mcr.microsoft.com/oss/v2/kubernetes/azure-cloud-node-manager:v1.35.5',
    '>= 1.36.x': 'mcr.microsoft.com/oss/v2/kubernetes/azure-cloud-node-manager:v1.36.1',
  },
  AzureFileCSI: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/azurefile-csi:v1.35.3' },
  AzureFileCSILivenessProbe: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/livenessprobe:v2.18.0' },
  AzureFileCSINodeDriverRegistar: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/csi-node-driver-registrar:v2.16.0' },
  AzureFileCSIProvisioner: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/csi-provisioner:v6.1.1' },
  AzureFileCSIResizer: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/csi-resizer:v2.1.0' },
  AzureFileCSISnapshotter: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/csi-snapshotter:v8.5.0' },
  AzureDiskCSI: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/azuredisk-csi:v1.34.4' },
  AzureDiskCSIAttacher: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/csi-attacher:v4.11.0' },
  AzureDiskCSILivenessProbe: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/livenessprobe:v2.18.0' },
  AzureDiskCSINodeDriverRegistar: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/csi-node-driver-registrar:v2.16.0' },
  AzureDiskCSIProvisioner: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/csi-provisioner:v6.2.0' },
  AzureDiskCSIResizer: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/csi-resizer:v2.1.0' },
  AzureDiskCSISnapshotter: { '*': 'mcr.microsoft.com/oss/v2/kubernetes-csi/csi-snapshotter:v8.5.0' },
  DigitaloceanCCM: { '*': 'docker.io/digitalocean/digitalocean-cloud-controller-manager:v0.1.67' },
  DigitalOceanCSI: { '*': 'docker.io/digitalocean/do-csi-plugin:v4.17.0' },
  DigitalOceanCSIAlpine: { '*': 'docker.io/alpine:3' },
  DigitalOceanCSIAttacher: { '*': 'registry.k8s.io/sig-storage/csi-attacher:v4.11.0' },
  DigitalOceanCSINodeDriverRegistar: { '*': 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.16.0' },
  DigitalOceanCSIProvisioner: { '*': 'registry.k8s.io/sig-storage/csi-provisioner:v6.2.0' },
  DigitalOceanCSIResizer: { '*': 'registry.k8s.io/sig-storage/csi-resizer:v2.1.0' },
  DigitalOceanCSISnapshotter: { '*': 'registry.k8s.io/sig-storage/csi-snapshotter:v8.5.0' },
  HetznerCCM: { '*': 'docker.io/hetznercloud/hcloud-cloud-controller-manager:v1.34.0' },
  HetznerCSI: { '*': 'docker.io/hetznercloud/hcloud-csi-driver:v2.21.2' },
  HetznerCSIAttacher: { '*': 'registry.k8s.io/sig-storage/csi-attacher:v4.11.0' },
  HetznerCSIResizer: { '*': 'registry.k8s.io/sig-storage/csi-resizer:v2.1.0' },
  HetznerCSIProvisioner: { '*': 'registry.k8s.io/sig-storage/csi-provisioner:v6.2.0' },
  HetznerCSILivenessProbe: { '*': 'registry.k8s.io/sig-storage/livenessprobe:v2.18.0' },
  HetznerCSINodeDriverRegistar: { '*': 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.16.0' },
  OpenstackCCM: {
    '1.34.x': 'registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.34.1',
    '1.35.x': 'registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.35.0',
    '>= 1.36.x': 'registry.k8s.io/provider-os/openstack-cloud-controller-manager:v1.36.0',
  },
  OpenstackCSI: {
    '1.34.x': 'registry.k8s.io/provider-os/cinder-csi-plugin:v1.34.1',
    '1.35.x': 'registry.k8s.io/provider-os/cinder-csi-plugin:v1.35.0',
    '>= 1.36.x': 'registry.k8s.io/provider-os/cinder-csi-plugin:v1.36.0',
  },
  OpenstackCSINodeDriverRegistar: { '*': 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.15.0' },
  OpenstackCSILivenessProbe: { '*': 'registry.k8s.io/sig-storage/livenessprobe:v2.17.0' },
  OpenstackCSIAttacher: { '*': 'registry.k8s.io/sig-storage/csi-attacher:v4.10.0' },
  OpenstackCSIProvisioner: { '*': 'registry.k8s.io/sig-storage/csi-provisioner:v5.3.0' },
  OpenstackCSIResizer: { '*': 'registry.k8s.io/sig-storage/csi-resizer:v1.14.0' },
  OpenstackCSISnapshotter: { '*': 'registry.k8s.io/sig-storage/csi-snapshotter:v8.3.0' },
  EquinixMetalCCM: { '*': 'quay.io/equinix-oss/cloud-provider-equinix-metal:v3.8.1' },
  VMwareCloudDirectorCSI: { '*': 'projects.registry.vmware.com/vmware-cloud-director/cloud-director-named-disk-csi-driver:1.6.0' },
  VMwareCloudDirectorCSIAttacher: { '*': 'registry.k8s.io/sig-storage/csi-attacher:v3.2.1' },
  VMwareCloudDirectorCSIProvisioner: { '*': 'registry.k8s.io/sig-storage/csi-provisioner:v2.2.2' },
  VMwareCloudDirectorCSIResizer: { '*': 'registry.k8s.io/sig-storage/csi-resizer:v1.4.0' },
  VMwareCloudDirectorCSINodeDriverRegistrar: { '*': 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.2.0' },
  VsphereCCM: {
    '1.34.x': 'registry.k8s.io/cloud-pv-vsphere/cloud-provider-vsphere:v1.34.0',
    '1.35.x': 'registry.k8s.io/cloud-pv-vsphere/cloud-provider-vsphere:v1.35.1',
    '>= 1.36.x': 'registry.k8s.io/cloud-pv-vsphere/cloud-provider-vsphere:v1.36.0',
  },
  VsphereCSIDriver: { '*': 'registry.k8s.io/csi-vsphere/driver:v3.7.1' },
  VsphereCSISyncer: { '*': 'registry.k8s.io/csi-vsphere/syncer:v3.7.1' },
  VsphereCSIAttacher: { '*': 'registry.k8s.io/sig-storage/csi-attacher:v4.9.0' },
  VsphereCSILivenessProbe: { '*': 'registry.k8s.io/sig-storage/livenessprobe:v2.15.0' },
  VsphereCSINodeDriverRegistar: { '*': 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.13.0' },
  VsphereCSIProvisioner: { '*': 'registry.k8s.io/sig-storage/csi-provisioner:v4.0.1' },
  VsphereCSIResizer: { '*': 'registry.k8s.io/sig-storage/csi-resizer:v1.12.0' },
  VsphereCSISnapshotter: { '*': 'registry.k8s.io/sig-storage/csi-snapshotter:v8.2.0' },
  NutanixCCM: { '*': 'ghcr.io/nutanix-cloud-native/cloud-provider-nutanix/controller:v0.5.2' },
  NutanixCSI: { '*': 'docker.io/nutanix/ntnx-csi:3.3.4' },
  NutanixCSILivenessProbe: { '*': 'registry.k8s.io/sig-storage/livenessprobe:v2.15.0' },
  NutanixCSIExternalHealthMonitor: { '*': 'registry.k8s.io/sig-storage/csi-external-health-monitor-controller:v0.14.0' },
  NutanixCSIAttacher: { '*': 'registry.k8s.io/sig-storage/csi-attacher:v4.8.1' },
  NutanixCSIProvisioner: { '*': 'registry.k8s.io/sig-storage/csi-provisioner:v5.2.0' },
  NutanixCSIRegistrar: { '*': 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.13.0' },
  NutanixCSIPrecheck: { '*': 'docker.io/nutanix/ntnx-csi-precheck:3.3.4' },
  NutanixCSIResizer: { '*': 'registry.k8s.io/sig-storage/csi-resizer:v1.13.2' },
  NutanixCSISnapshotter: { '*': 'registry.k8s.io/sig-storage/csi-snapshotter:v3.0.3' },
  GCPCCM: { '*': 'registry.k8s.io/cloud-provider-gcp/cloud-controller-manager:v36.0.7' },
  GCPComputeCSIDriver: { '*': 'registry.k8s.io/cloud-provider-gcp/gcp-compute-persistent-disk-csi-driver:v1.26.0' },
  GCPComputeCSIProvisioner: { '*': 'registry.k8s.io/sig-storage/csi-provisioner:v6.0.0' },
  GCPComputeCSIAttacher: { '*': 'registry.k8s.io/sig-storage/csi-attacher:v4.8.1' },
  GCPComputeCSIResizer: { '*': 'registry.k8s.io/sig-storage/csi-resizer:v2.0.0' },
  GCPComputeCSISnapshotter: { '*': 'registry.k8s.io/sig-storage/csi-snapshotter:v8.2.1' },
  GCPComputeCSINodeDriverRegistrar: { '*': 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.13.0' },
  WeaveNetCNIKube: { '*': 'docker.io/weaveworks/weave-kube:2.8.1' },
  WeaveNetCNINPC: { '*': 'docker.io/weaveworks/weave-npc:2.8.1' },
  Cilium: { '*': 'quay.io/cilium/cilium:v1.19.6@sha256:0df5b2750b64c49843aba1d649e9eaf61467cb0645ad3171db6f6962c095ac92' },
  CiliumOperator: { '*': 'quay.io/cilium/operator-generic:v1.19.6@sha256:0db4ca4e06969d8904ee036617795d0e9c3228cf7b8d902ba74fc2bb98d2d665' },
  CiliumEnvoy: {
    '*': 'quay.io/cilium/cilium-envoy:v1.36.9-1782267392-edeb3f2af56c37c407efa1f63f0b32f595399bbc@sha256:767101fb8a5e38f055778cb43b7aa8eed80450b37f8121effac3d9de9e06dc99',
  },
  HubbleRelay: { '*': 'quay.io/cilium/hubble-relay:v1.19.6@sha256:6782a49e3f28eba015701c4410a5ec7fa096fe9a562f879b4372dbecd827ea44' },
  HubbleUI: { '*': 'quay.io/cilium/hubble-ui:v0.13.5@sha256:f7d514fc54d784ed6df9d58cf0e97648b143f92b766dd1780ed3fc845bd4c516' },
  HubbleUIBackend: { '*': 'quay.io/cilium/hubble-ui-backend:v0.13.5@sha256:fac0c300ae119274edca11fd89b1ad23c788792d8bc4ea2ba631c709e8d3c688' },
  CiliumCertGen: { '*': 'quay.io/cilium/certgen:v0.4.6@sha256:511cedee817713fdf72db7e32fffb4b90da7747661b95180064f18198877626c' },
  ClusterAutoscaler: {
    '1.34.x': 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.3',
    '1.35.x': 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.0',
    '>= 1.36.x': 'registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.0',
  },
  CSIVaultSecretProvider: { '*': 'docker.io/hashicorp/vault-csi-provider:1.1.0' },
  SecretStoreCSIDriverNodeRegistrar: { '*': 'registry.k8s.io/sig-storage/csi-node-driver-registrar:v2.5.1' },
  SecretStoreCSIDriver: { '*': 'registry.k8s.io/csi-secrets-store/driver:v1.2.1' },
  SecretStoreCSIDriverLivenessProbe: { '*': 'registry.k8s.io/sig-storage/livenessprobe:v2.7.0' },
  SecretStoreCSIDriverCRDs: { '*': 'registry.k8s.io/csi-secrets-store/driver-crds:v1.2.1' },
  KubeVirtCCM: { '*': 'quay.io/kubevirt/kubevirt-cloud-controller-manager:v0.6.0' },
  KubeVirtCSI: { '*': 'quay.io/kubermatic/kubevirt-csi-driver:v0.4.5' },
  KubeVirtCSINodeDriverRegistrar: { '*': 'quay.io/openshift/origin-csi-node-driver-registrar:4.20.0' },
  KubeVirtCSILivenessProbe: { '*': 'quay.io/openshift/origin-csi-livenessprobe:4.20.0' },
  KubeVirtCSIProvisioner: { '*': 'quay.io/openshift/origin-csi-external-provisioner:4.20.0' },
  KubeVirtCSIAttacher: { '*': 'quay.io/openshift/origin-csi-external-attacher:4.20.0' },
  BackupResticSnapshotter: { '*': 'registry.k8s.io/etcd:3.5.32-0' },
  BackupResticUploader: { '*': 'ghcr.io/restic/restic:0.19.1' },
  UUApline: { '*': 'docker.io/library/alpine:3.23' },
  UUFluo: { '*': 'ghcr.io/flatcar/flatcar-linux-update-operator:v0.10.0-rc1' },
};

/** A Docker reference split as distribution/reference's ParseNormalizedNamed does. */
export function normalizeReference(ref: string): { domain: string; path: string; tag: string } {
  const noDigest = ref.split('@')[0]!;
  const slash = noDigest.indexOf('/');
  const first = slash < 0 ? '' : noDigest.slice(0, slash);
  let domain = 'docker.io';
  let rest = noDigest;
  if (first && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase())) {
    domain = first === 'index.docker.io' ? 'docker.io' : first;
    rest = noDigest.slice(slash + 1);
  }
  const colon = rest.lastIndexOf(':');
  const path0 = colon > rest.lastIndexOf('/') ? rest.slice(0, colon) : rest;
  const tag = colon > rest.lastIndexOf('/') ? rest.slice(colon + 1) : 'latest';
  const path = domain === 'docker.io' && !path0.includes('/') ? `library/${path0}` : path0;
  return { domain, path, tag };
}

/** Resolver.Get: the image for the Kubernetes version, with the registry overwritten; '' when no constraint matches. */
export function resolveImage(name: string, kubernetesVersion: string, overwriteRegistry: string): string {
  const table = own(KUBEONE_IMAGES, name);
  if (!table) throw new Error(`image lookup ${JSON.stringify(name)}: no such resource`);
  let version;
  try {
    version = parseVersion(kubernetesVersion);
  } catch {
    version = parseVersion('0.0.0');
  }
  for (const [constraint, image] of Object.entries(table)) {
    if (!checkConstraints(parseConstraints(constraint), version)) continue;
    return withRegistry(image, overwriteRegistry);
  }
  return '';
}

/** A table reference as Resolver.Get returns it: normalized, digest dropped, registry overwritten when one is given. */
export function withRegistry(image: string, overwriteRegistry: string): string {
  const ref = normalizeReference(image);
  return `${overwriteRegistry || ref.domain}/${ref.path}:${ref.tag}`;
}

/** KubeOne's base resources (its baseResources()); every other entry of the table is optional. */
const BASE_IMAGE_NAMES: ReadonlySet<string> = new Set(['CalicoCNI', 'CalicoController', 'CalicoNode', 'DNSNodeCache', 'Flannel', 'MachineController', 'MetricsServer', 'OperatingSystemManager']);

export type ImageClass = 'base' | 'optional';

export interface ImageEntry {
  name: string;
  class: ImageClass;
  /** Kubernetes version constraint -> image reference. */
  byVersion: Readonly<Record<string, string>>;
}

/** Every entry of the table with its class: what `config images list` and `mirror-images` read. */
export function imageEntries(): ImageEntry[] {
  return Object.entries(KUBEONE_IMAGES).map(([name, byVersion]) => ({ name, class: BASE_IMAGE_NAMES.has(name) ? 'base' : 'optional', byVersion }));
}

/** kubeadm's pause image with the registry KubeOne gives it (`.InternalImages.Get "PauseImage"`). */
export function pauseImage(kubernetesVersion: string, overwriteRegistry: string): string {
  return `${overwriteRegistry || 'registry.k8s.io'}/pause:${pauseImageTag(kubernetesVersion)}`;
}

const INTERNAL_IMAGES: StructType = {
  name: 'addons.internalImages',
  fields: [],
  methods: new Map(),
};

/** `.InternalImages`: *addons.internalImages with its Get method. */
export function internalImages(kubernetesVersion: string, overwriteRegistry: string): GoStruct {
  const type: StructType = {
    ...INTERNAL_IMAGES,
    methods: new Map([
      [
        'Get',
        {
          params: ['string'],
          call: (_r, [name]) => (name === 'PauseImage' ? pauseImage(kubernetesVersion, overwriteRegistry) : resolveImage(name as string, kubernetesVersion, overwriteRegistry)),
        },
      ],
    ]),
  };
  return new GoStruct(type, [], true);
}
