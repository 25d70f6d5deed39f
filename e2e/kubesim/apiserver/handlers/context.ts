// What every resource handler gets: the server's dependencies and the parsed request.
import type { UserInfo } from '../auth/authenticate.js';
import type { ServiceAccountTokens } from '../auth/service-account-tokens.js';
import type { ResourceRegistry } from '../registry/resource-registry.js';
import type { ResourceDef } from '../registry/resource-def.js';
import type { KubeObject, ObjectStore } from '../storage/object-store.js';

export interface ServerDeps {
  store: ObjectStore;
  registry: ResourceRegistry;
  /** e.g. 10.96.0.0/12 */
  serviceClusterIPRange: string;
  serviceNodePortRange: [number, number];
  /** Addresses of this apiserver for the default/kubernetes Service endpoints. */
  advertiseAddress: string;
  securePort: number;
  /** PEM of the cluster CA, published as kube-root-ca.crt in every namespace. */
  rootCAPem?: string;
  /** Issues bound service account tokens when a signing key is configured. */
  serviceAccountTokens?: ServiceAccountTokens;
  apiAudiences: string[];
  /** Authenticate a bearer token (TokenReview). */
  reviewToken(token: string): Promise<Record<string, unknown> | undefined>;
  /** The admission plugins that act (--enable-admission-plugins with their configuration). */
  admission?: import('../admission/admission-config.js').AdmissionOptions;
}

export interface RequestContext {
  deps: ServerDeps;
  user: UserInfo;
  def: ResourceDef;
  namespace?: string;
  name?: string;
  subresource?: string;
  query: URLSearchParams;
  userAgent: string;
  now: Date;
}

/** Type-specific behaviour (defaults, allocation, validation) run before a write. */
export interface AdmissionHook {
  create?(ctx: RequestContext, obj: KubeObject): Promise<void> | void;
  update?(ctx: RequestContext, oldObj: KubeObject, newObj: KubeObject): Promise<void> | void;
  /** After the object was written (e.g. refresh served CRDs). */
  written?(ctx: RequestContext, obj: KubeObject | undefined): Promise<void> | void;
}

export function rfc3339(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The field manager of a request: ?fieldManager= or derived from the User-Agent like the real server. */
export function fieldManagerOf(ctx: RequestContext): string {
  const explicit = ctx.query.get('fieldManager');
  if (explicit) return explicit;
  const ua = ctx.userAgent.split('/')[0]?.trim();
  return ua || 'unknown';
}

export function isDryRun(ctx: RequestContext): boolean {
  return ctx.query.getAll('dryRun').includes('All');
}
