// KubeOne's own template functions (pkg/addons/manifest.go txtFuncMap and CABundle), with
// the same signatures and outputs: Registry, required, CABundle, caBundleEnvVar,
// caBundleVolume, caBundleVolumeMount, EquinixMetalSecret, vSphereCSIWebhookConfig.
import type { FuncDef } from './exec.js';
import { marshal } from './json.js';
import { ANY, GoMap, GoStruct, type GoValue, NO_VALUE, type StructType } from './values.js';

/** Where KubeOne mounts the CA bundle in pod templates (pkg/certificate/cabundle). */
export const CA_BUNDLE = {
  configMapName: 'ca-bundle',
  certsDir: '/etc/kubeone/certs',
  fileName: 'ca-certificates.crt',
  envName: 'SSL_CERT_FILE',
  get filePath(): string {
    return `${this.certsDir}/${this.fileName}`;
  },
} as const;

/** The CA bundle volume, mount and variable as Kubernetes objects (also used by the pod-template injection). */
export function caBundleVolume(): Record<string, unknown> {
  return { name: CA_BUNDLE.configMapName, configMap: { name: CA_BUNDLE.configMapName } };
}
export function caBundleVolumeMount(): Record<string, unknown> {
  return { name: CA_BUNDLE.configMapName, readOnly: true, mountPath: CA_BUNDLE.certsDir };
}
export function caBundleEnvVar(): Record<string, unknown> {
  return { name: CA_BUNDLE.envName, value: CA_BUNDLE.filePath };
}

const EQUINIX_SECRET: StructType = {
  name: 'struct { APIKey string "json:\\"apiKey\\""; ProjectID string "json:\\"projectID\\"" }',
  fields: [
    { name: 'APIKey', json: 'apiKey', omitempty: false, type: 'string' },
    { name: 'ProjectID', json: 'projectID', omitempty: false, type: 'string' },
  ],
};

export interface KubeOneFuncOptions {
  /** registryConfiguration.overwriteRegistry ('' when unset). */
  overwriteRegistry: string;
  /** certificateAuthority.bundle ('' when unset). */
  caBundle: string;
}

export function kubeoneFuncs(opts: KubeOneFuncOptions): [string, FuncDef][] {
  return [
    ['Registry', { params: ['string'], fn: (r) => opts.overwriteRegistry || (r as string) }],
    // KubeOne's required: an error only for nil and for the empty string (0 and false pass).
    ['required', { params: ['string', ANY], raw: true, fn: (warn, input) => {
      if (input === null || input === NO_VALUE || input === '') throw new Error(warn as string);
      return input;
    } }],
    ['CABundle', { params: [], fn: () => opts.caBundle }],
    // sigs.k8s.io/yaml output of []corev1.EnvVar / Volume / VolumeMount (keys sorted, as that YAML writer does).
    ['caBundleEnvVar', { params: [], fn: () => `- name: ${CA_BUNDLE.envName}\n  value: ${CA_BUNDLE.filePath}\n` }],
    ['caBundleVolume', { params: [], fn: () => `- configMap:\n    name: ${CA_BUNDLE.configMapName}\n  name: ${CA_BUNDLE.configMapName}\n` }],
    ['caBundleVolumeMount', { params: [], fn: () => `- mountPath: ${CA_BUNDLE.certsDir}\n  name: ${CA_BUNDLE.configMapName}\n  readOnly: true\n` }],
    ['EquinixMetalSecret', { params: ['string', 'string'], fn: (apiKey, projectID) => marshal(new GoStruct(EQUINIX_SECRET, [
      ['APIKey', apiKey as string],
      ['ProjectID', projectID as string],
    ])) }],
    // BurntSushi/toml encoding of the webhook config with an empty indent.
    ['vSphereCSIWebhookConfig', { params: [], fn: () => '[WebHookConfig]\nport = "8443"\ncert-file = "/run/secrets/tls/cert.pem"\nkey-file = "/run/secrets/tls/key.pem"\n' }],
  ];
}

export type { GoMap, GoValue };
