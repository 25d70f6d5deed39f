// renderAddons: the desired addon objects of a manifest, labelled and hashed, rendered as
// KubeOne renders them (files, Go templates with KubeOne's data and functions, documents,
// mutations). Runs at the edge (reads files, the environment) so the planner stays pure.
import { isAbsolute, join, relative } from 'node:path';
import { collectSecrets } from '../api/redact.js';
import type { LoadedCluster } from '../api/types.js';
import { ExitCode } from '../errors/exit-codes.js';
import type { SecretSet } from '../log/redact.js';
import type { RenderedAddon, RenderedObject } from '../plan/types.js';
import { type ClusterCA } from './certificates.js';
import { CREDENTIALS_ADDON, CloudConfigError, credentialObjects, withRenderedCloudConfig } from './cloud-credentials.js';
import { withAddonDefaults } from './config-view.js';
import { CredentialsError, addonParamsOf, customCredentials } from './credentials-data.js';
import { ManifestError, parseDocument, splitDocuments } from './documents.js';
import { AddonFileError, embeddedAddonsDir, manifestFiles, nodeFiles, scanCustomAddons, type AddonFiles } from './files.js';
import { mutateObjects } from './mutations.js';
import { ADDON_LABEL, hashObject, redactObject, type KubeObject } from './normalize.js';
import { ROOT_ADDON, selectAddons, type AddonChoice } from './selection.js';
import { baseTemplateData, templateData, type BaseTemplateData } from './template-data.js';
import { addonFuncs } from './template/funcs.js';
import { type FuncMap, TemplateError, executeTemplate, parseTemplate } from './template/index.js';

export interface RenderAddonsOptions {
  loaded: LoadedCluster;
  readFile?: (path: string) => string;
  files?: AddonFiles;
  env?: NodeJS.ProcessEnv;
  /** Defaults to the package's manifests/addons. */
  embeddedDir?: string;
  /** The cluster CA read from the leader; null when there is no cluster yet (or it was not read). */
  clusterCA?: ClusterCA | null;
  /** Whether the cluster exists (KubeOne's LiveCluster.IsProvisioned); default: whether clusterCA is given. */
  clusterExists?: boolean;
  /** The time certificates are issued for (renewal windows). Default: now. */
  now?: Date;
}

export class AddonRenderError extends Error {
  /** KubeOne reports addon failures as runtime errors. */
  readonly exitCode = ExitCode.runtime;
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

/**
 * Addons rendered before the cluster CA existed (a new cluster) whose templates used
 * `.Certificates`: they are rendered again with the CA once the cluster exists.
 */
const waitingForCA = new WeakMap<RenderedAddon, (ca: ClusterCA) => RenderedAddon>();

/** Whether an addon's objects wait for the cluster CA (see renderWithClusterCA). */
export function needsClusterCA(addon: RenderedAddon): boolean {
  return waitingForCA.has(addon);
}

/** The addon rendered again with the cluster CA (the same addon when it does not need it). */
export function renderWithClusterCA(addon: RenderedAddon, ca: ClusterCA): RenderedAddon {
  return waitingForCA.get(addon)?.(ca) ?? addon;
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

interface RenderContext {
  files: AddonFiles;
  funcs: FuncMap;
  base: BaseTemplateData;
  customPath: string | undefined;
  embeddedDir: string;
  caBundle: string;
  secretProviderClassName: string;
}

/** Wraps the errors of one step in AddonRenderError (template errors keep Go's wording). */
function asRenderError(e: unknown): never {
  if (e instanceof TemplateError || e instanceof AddonRenderError) throw e;
  if (e instanceof ManifestError || e instanceof AddonFileError || e instanceof CredentialsError || e instanceof CloudConfigError) throw new AddonRenderError(e.message);
  throw e;
}

export function renderAddons(opts: RenderAddonsOptions): RenderedAddon[] {
  try {
    return render(opts);
  } catch (e) {
    return asRenderError(e);
  }
}

function render(opts: RenderAddonsOptions): RenderedAddon[] {
  const files: AddonFiles = { ...(opts.files ?? nodeFiles), ...(opts.readFile ? { readFile: opts.readFile } : {}) };
  const { loaded } = opts;
  const env = opts.env ?? process.env;
  const defaulted = withAddonDefaults(loaded.cluster);
  const credentialSource = { file: loaded.credentials, env };
  // Templates see the cloudConfig as KubeOne's credentials step leaves it: rendered with the credentials.
  const cluster = withRenderedCloudConfig(defaulted, credentialSource);
  const customPath = cluster.addons?.path
    ? isAbsolute(cluster.addons.path) ? cluster.addons.path : join(loaded.baseDir, cluster.addons.path)
    : undefined;
  const custom = scanCustomAddons(files, customPath);
  const selection = selectAddons(cluster, custom.dirs, custom.rootFiles, env, addonParamsOf(credentialSource));
  const caBundle = cluster.certificateAuthority?.bundle ?? '';
  const ctx: RenderContext = {
    files,
    funcs: addonFuncs({ overwriteRegistry: cluster.registryConfiguration?.overwriteRegistry ?? '', caBundle, env }),
    base: baseTemplateData({ loaded, cluster, env, clusterCA: opts.clusterCA ?? null, clusterExists: opts.clusterExists ?? Boolean(opts.clusterCA), now: opts.now ?? new Date() }),
    customPath,
    embeddedDir: opts.embeddedDir ?? embeddedAddonsDir(),
    caBundle,
    secretProviderClassName: cluster.cloudProvider?.secretProviderClassName ?? '',
  };
  // Values to mask outside Secrets: every credential, and each value inside the credentials file's YAML blocks.
  const secrets = collectSecrets(loaded, env);
  secrets.addAll(Object.values(customCredentials(credentialSource)));
  secrets.addAll(Object.values(addonParamsOf(credentialSource)).flatMap((p) => Object.values(p)));
  const rendered = selection.selected.map((choice) =>
    choice.name === CREDENTIALS_ADDON ? { name: choice.name, source: choice.source, objects: credentialObjects(defaulted, credentialSource), usedCA: false } : renderAddon(ctx, choice),
  );
  const out = finish(rendered, secrets);
  // Addons whose templates needed the CA before it existed: rendered again once it does.
  out.forEach((addon, i) => {
    if (!rendered[i]!.usedCA) return;
    waitingForCA.set(addon, (ca) => {
      const again = render({ ...opts, clusterCA: ca }).find((a) => a.name === addon.name);
      if (!again) throw new AddonRenderError(`addon ${addon.name} is no longer selected`);
      return again;
    });
  });
  return out;
}

interface RawAddon {
  name: string;
  source: 'embedded' | 'custom';
  objects: KubeObject[];
  usedCA: boolean;
}

function renderAddon(ctx: RenderContext, choice: AddonChoice): RawAddon {
  const { files } = ctx;
  const dir = choice.name === ROOT_ADDON ? ctx.customPath! : choice.source === 'custom' ? join(ctx.customPath!, choice.name) : join(ctx.embeddedDir, choice.name);
  const shown = (p: string): string => (choice.source === 'embedded' ? `manifests/addons/${relative(ctx.embeddedDir, p)}` : p);
  const paths = manifestFiles(files, dir, choice.source === 'custom' ? ctx.customPath : undefined);
  if (!paths.length && choice.source === 'embedded') throw new AddonRenderError(`embedded addon ${choice.name}: no manifests in ${dir}`);
  const data = templateData(ctx.base, choice.params);
  ctx.base.issuer.usedWithoutCA = false;
  const objects = paths.flatMap((path) => {
    const file = shown(path);
    const src = files.readFile(path);
    const text = choice.disableTemplating ? src : executeTemplate(parseTemplate(file, src, ctx.funcs), data, ctx.funcs);
    return objectsOf(text, file);
  });
  const usedCA = ctx.base.issuer.usedWithoutCA;
  mutateObjects(objects, { addon: choice.name, disableTemplating: choice.disableTemplating, caBundle: ctx.caBundle, secretProviderClassName: ctx.secretProviderClassName });
  return { name: choice.name, source: choice.source, objects, usedCA };
}

/** The Kubernetes objects of one rendered file (List kinds are expanded into their items). */
function objectsOf(text: string, file: string): KubeObject[] {
  const out: KubeObject[] = [];
  for (const [i, doc] of splitDocuments(text, file).entries()) {
    const value = parseDocument(doc, file);
    if (value === null || value === undefined) continue;
    const where = `${file}: document ${i + 1} (line ${doc.line})`;
    if (typeof value !== 'object' || Array.isArray(value)) throw new AddonRenderError(`${where}: not a Kubernetes object`);
    const obj = value as KubeObject;
    const items = typeof obj.kind === 'string' && obj.kind.endsWith('List') && Array.isArray(obj.items) ? (obj.items as KubeObject[]) : [obj];
    for (const item of items) {
      const meta = item.metadata as { name?: unknown } | undefined;
      if (typeof item.kind !== 'string' || !item.kind) throw new AddonRenderError(`${where}: Object 'Kind' is missing`);
      if (typeof item.apiVersion !== 'string' || typeof meta?.name !== 'string' || !meta.name) {
        throw new AddonRenderError(`${where}: apiVersion, kind and metadata.name are required`);
      }
      out.push(item);
    }
  }
  return out;
}

/** Labels, namespaces, hashes; an object listed twice in one addon is applied once with its last content; two addons may not share one. */
function finish(addons: RawAddon[], secrets: SecretSet): RenderedAddon[] {
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
  return addons.map((a) => {
    const byKey = new Map<string, RenderedObject>();
    for (const o of a.objects) {
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
      if (prev !== undefined && prev !== a.name) {
        throw new AddonRenderError(`${kind} ${ro.namespace ? `${ro.namespace}/` : ''}${ro.name} is rendered by both addon "${prev}" and addon "${a.name}"`);
      }
      owner.set(key, a.name);
      fullObjects.set(ro, full);
      // Listed again in the same addon: KubeOne applies both in order, so the last one is what stays.
      // (A Map keeps the position of the first occurrence.)
      byKey.set(key, ro);
    }
    return { name: a.name, source: a.source, objects: [...byKey.values()] };
  });
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
