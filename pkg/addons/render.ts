// renderAddons: the desired addon objects of a manifest, labelled and hashed. Runs at the
// edge (reads files, environment) so the planner stays pure.
import { isAbsolute, join, relative } from 'node:path';
import YAML from 'yaml';
import { collectSecrets } from '../api/redact.js';
import type { LoadedCluster } from '../api/types.js';
import type { SecretSet } from '../log/redact.js';
import type { RenderedAddon, RenderedObject } from '../plan/types.js';
import { configView, withAddonDefaults } from './config-view.js';
import { embeddedAddonsDir, manifestFiles, nodeFiles, scanCustomAddons, type AddonFiles } from './files.js';
import { ImageResolver } from './images.js';
import { ADDON_LABEL, hashObject, redactObject, type KubeObject } from './normalize.js';
import { ROOT_ADDON, selectAddons, type AddonChoice } from './selection.js';
import { builtinFuncs, markStruct, renderTemplate } from './template/index.js';

export interface RenderAddonsOptions {
  loaded: LoadedCluster;
  readFile?: (path: string) => string;
  files?: AddonFiles;
  env?: NodeJS.ProcessEnv;
  /** Defaults to the package's manifests/addons. */
  embeddedDir?: string;
}

export class AddonRenderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'AddonRenderError';
  }
}

/** Full objects (Secret data included) behind rendered objects, in memory only: for apply. */
const fullObjects = new WeakMap<RenderedObject, KubeObject>();

/** The complete object to apply (RenderedObject.object omits Secret data). */
export function fullObject(o: RenderedObject): KubeObject {
  const full = fullObjects.get(o) ?? o.object;
  if (!full) throw new Error(`no object content for ${o.kind} ${o.namespace}/${o.name}`);
  return full;
}

/** Kinds without a namespace that addons commonly render (CRD kinds are learned from the render). */
const CLUSTER_SCOPED = new Set([
  'Namespace', 'Node', 'PersistentVolume', 'ClusterRole', 'ClusterRoleBinding', 'CustomResourceDefinition',
  'StorageClass', 'CSIDriver', 'CSINode', 'VolumeAttachment', 'APIService', 'PriorityClass', 'RuntimeClass',
  'IngressClass', 'ValidatingWebhookConfiguration', 'MutatingWebhookConfiguration', 'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding', 'FlowSchema', 'PriorityLevelConfiguration', 'CertificateSigningRequest',
  'VolumeSnapshotClass', 'VolumeSnapshotContent', 'IPAddress', 'ServiceCIDR',
]);

/** Namespaced kinds addons commonly render; an unknown kind without a namespace is left as written. */
const NAMESPACED = new Set([
  'ConfigMap', 'Secret', 'Service', 'ServiceAccount', 'Endpoints', 'EndpointSlice', 'Pod', 'PersistentVolumeClaim',
  'Deployment', 'DaemonSet', 'StatefulSet', 'ReplicaSet', 'Job', 'CronJob', 'Role', 'RoleBinding',
  'PodDisruptionBudget', 'Ingress', 'NetworkPolicy', 'HorizontalPodAutoscaler', 'LimitRange', 'ResourceQuota', 'Lease',
]);

/** The 10th address of the service subnet: the cluster DNS Service IP kubeadm assigns. */
export function clusterDNSIP(serviceSubnet: string): string {
  const cidr = serviceSubnet.split(',')[0]!.trim();
  const m = /^(\d+)\.(\d+)\.(\d+)\.(\d+)\/\d+$/.exec(cidr);
  if (!m) throw new AddonRenderError(`clusterNetwork.serviceSubnet: ${JSON.stringify(serviceSubnet)} is not an IPv4 CIDR`);
  const n = ((Number(m[1]) << 24) >>> 0) + (Number(m[2]) << 16) + (Number(m[3]) << 8) + Number(m[4]) + 10;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function renderAddons(opts: RenderAddonsOptions): RenderedAddon[] {
  const files: AddonFiles = { ...(opts.files ?? nodeFiles), ...(opts.readFile ? { readFile: opts.readFile } : {}) };
  const { loaded } = opts;
  const cluster = withAddonDefaults(loaded.cluster);
  const customPath = cluster.addons?.path
    ? isAbsolute(cluster.addons.path) ? cluster.addons.path : join(loaded.baseDir, cluster.addons.path)
    : undefined;
  const custom = scanCustomAddons(files, customPath);
  const selection = selectAddons(cluster, custom.dirs, custom.rootFiles, opts.env);
  const embeddedDir = opts.embeddedDir ?? embeddedAddonsDir();
  const overwriteRegistry = cluster.registryConfiguration?.overwriteRegistry ?? '';
  const funcs = builtinFuncs({ overwriteRegistry });
  const hostOS = loaded.hosts.map((h) => h.config.operatingSystem ?? '');
  const baseData = {
    Config: configView(cluster),
    Credentials: { ...loaded.credentials },
    Resources: markStruct({
      NodeLocalDNSVirtualIP: '169.254.20.10',
      ClusterDNSIP: clusterDNSIP(cluster.clusterNetwork!.serviceSubnet!),
    }),
    InternalImages: new ImageResolver(overwriteRegistry),
    CalicoIptablesBackend: hostOS.some((os) => os === 'flatcar' || os === 'rhel') ? 'NFT' : 'Auto',
  };

  const rendered = selection.selected.map((choice) => {
    const dir =
      choice.name === ROOT_ADDON ? customPath! : choice.source === 'custom' ? join(customPath!, choice.name) : join(embeddedDir, choice.name);
    const data = { ...baseData, Params: { ...choice.params } };
    const shown = (p: string): string => (choice.source === 'embedded' ? `manifests/addons/${relative(embeddedDir, p)}` : p);
    const paths = manifestFiles(files, dir);
    if (!paths.length && choice.source === 'embedded') throw new AddonRenderError(`embedded addon ${choice.name}: no manifests in ${dir}`);
    const objects = paths.flatMap((path) => renderFile(shown(path), files.readFile(path), data, choice, funcs));
    return { name: choice.name, source: choice.source, objects };
  });
  return finish(rendered, collectSecrets(loaded, opts.env ?? process.env));
}

function renderFile(file: string, src: string, data: unknown, choice: AddonChoice, funcs: ReturnType<typeof builtinFuncs>): KubeObject[] {
  const text = choice.disableTemplating ? src : renderTemplate(file, src, data, funcs);
  const docs = YAML.parseAllDocuments(text);
  const out: KubeObject[] = [];
  for (const [i, doc] of (Array.isArray(docs) ? docs : [docs]).entries()) {
    if (doc.errors.length) {
      const e = doc.errors[0]!;
      const line = e.linePos?.[0].line;
      throw new AddonRenderError(`${file}: document ${i + 1}: invalid YAML after templating${line ? ` (rendered line ${line})` : ''}: ${e.message.split('\n')[0]}`);
    }
    const value = doc.toJS() as unknown;
    if (value === null || value === undefined) continue;
    if (typeof value !== 'object' || Array.isArray(value)) throw new AddonRenderError(`${file}: document ${i + 1}: not a Kubernetes object`);
    const obj = value as KubeObject;
    const items = obj.kind === 'List' || (typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items)) ? (obj.items as KubeObject[]) : [obj];
    for (const item of items) {
      const meta = item.metadata as { name?: unknown } | undefined;
      if (typeof item.apiVersion !== 'string' || typeof item.kind !== 'string' || typeof meta?.name !== 'string' || !meta.name) {
        throw new AddonRenderError(`${file}: document ${i + 1}: apiVersion, kind and metadata.name are required`);
      }
      out.push(item);
    }
  }
  return out;
}

/** Labels, namespaces, hashes; checks no object belongs to two addons. */
function finish(addons: { name: string; source: 'embedded' | 'custom'; objects: KubeObject[] }[], secrets: SecretSet): RenderedAddon[] {
  const clusterScoped = new Set(CLUSTER_SCOPED);
  const namespaced = new Set(NAMESPACED);
  for (const a of addons) {
    for (const o of a.objects) {
      const spec = o.spec as { scope?: string; names?: { kind?: string } } | undefined;
      if (o.kind !== 'CustomResourceDefinition' || !spec?.names?.kind) continue;
      (spec.scope === 'Cluster' ? clusterScoped : namespaced).add(spec.names.kind);
    }
  }
  const owner = new Map<string, string>();
  return addons.map((a) => ({
    name: a.name,
    source: a.source,
    objects: a.objects.map((o) => {
      const metadata = { ...(o.metadata as Record<string, unknown>) };
      const kind = o.kind as string;
      // kubectl's rule: a namespaced object without a namespace goes to "default". For a kind
      // we cannot place, the namespace stays as written and the server decides.
      if (clusterScoped.has(kind)) delete metadata.namespace;
      else if (namespaced.has(kind)) metadata.namespace = (metadata.namespace as string | undefined) || 'default';
      metadata.labels = { ...(metadata.labels as Record<string, string> | undefined), [ADDON_LABEL]: a.name };
      const full: KubeObject = { ...o, metadata };
      const ro: RenderedObject = {
        apiVersion: o.apiVersion as string,
        kind,
        namespace: (metadata.namespace as string | undefined) ?? '',
        name: metadata.name as string,
        hash: hashObject(full),
        object: maskCredentials(redactObject(full), secrets),
      };
      const key = `${ro.apiVersion.split('/').slice(0, -1).join('/')}/${kind}/${ro.namespace}/${ro.name}`;
      const prev = owner.get(key);
      if (prev !== undefined) throw new AddonRenderError(`${kind} ${ro.namespace ? `${ro.namespace}/` : ''}${ro.name} is rendered by both addon "${prev}" and addon "${a.name}"`);
      owner.set(key, a.name);
      fullObjects.set(ro, full);
      return ro;
    }),
  }));
}

export const SENSITIVE = '(sensitive value)';

/**
 * Replaces any string holding a secret of the manifest in any form (as is, escaped, base64)
 * outside Secret data, so plans and snapshots never print it.
 */
export function maskCredentials(obj: KubeObject, secrets: SecretSet): KubeObject {
  if (!secrets.size) return obj;
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return secrets.found(v) ? SENSITIVE : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(obj) as KubeObject;
}
