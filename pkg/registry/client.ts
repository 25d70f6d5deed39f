// A client of the OCI distribution API (what registries speak: /v2/<repository>/manifests
// and /blobs), enough to copy images: manifests by tag or digest, blobs streamed from one
// registry into another, Basic and Bearer-token authentication. Written over node:http(s)
// because no maintained npm library pushes images (see docs/commands.md#kubeone-mirror-images).
import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

import type { CredentialLookup } from './credentials.js';
import { drain, type HttpRequest, type HttpResponse, readAll, send } from './http.js';

export const MEDIA_TYPES = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
} as const;
const ACCEPT = Object.values(MEDIA_TYPES).join(', ');

export class RegistryError extends Error {
  /** HTTP status; 429 and 5xx make the error transient for the one retry layer (pkg/executor/retry.ts). */
  constructor(
    message: string,
    readonly statusCode?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export interface Manifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

export interface RegistryClientOptions {
  /** Skip TLS verification and allow plain HTTP (crane's --insecure). */
  insecure?: boolean;
  credentials?: CredentialLookup;
  timeoutMs?: number;
}

export function sha256Digest(bytes: Buffer): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Loopback registries speak plain HTTP, as Docker and crane assume. */
function isLoopback(registry: string): boolean {
  const host = registry.replace(/:\d+$/, '').replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** `Bearer realm="...",service="...",scope="..."` -> { scheme, params }. */
export function parseChallenge(header: string): { scheme: string; params: Record<string, string> } {
  const m = /^\s*(\w+)\s*(.*)$/.exec(header);
  const params: Record<string, string> = {};
  if (!m) return { scheme: '', params };
  for (const p of m[2]!.matchAll(/(\w+)\s*=\s*(?:"([^"]*)"|([^\s,]*))/g)) params[p[1]!.toLowerCase()] = p[2] ?? p[3] ?? '';
  return { scheme: m[1]!.toLowerCase(), params };
}

export class RegistryClient {
  private base?: Promise<string>;
  /** Authorization header per token scope ('' for registry-wide Basic auth). */
  private readonly auth = new Map<string, string>();

  constructor(
    readonly registry: string,
    private readonly options: RegistryClientOptions = {},
  ) {}

  /** https://host, or http://host for loopback registries and, with --insecure, when TLS does not answer. */
  private baseUrl(): Promise<string> {
    this.base ??= (async () => {
      const schemes = isLoopback(this.registry) ? ['http', 'https'] : this.options.insecure ? ['https', 'http'] : ['https'];
      let last: unknown;
      for (const scheme of schemes) {
        try {
          const res = await this.raw({ method: 'GET', url: new URL(`${scheme}://${this.registry}/v2/`) });
          drain(res.body);
          return `${scheme}://${this.registry}`;
        } catch (error) {
          last = error;
        }
      }
      throw new RegistryError(`${this.registry}: not reachable: ${(last as Error).message}`);
    })();
    this.base.catch(() => (this.base = undefined));
    return this.base;
  }

  private raw(req: Omit<HttpRequest, 'insecure' | 'timeoutMs'>): Promise<HttpResponse> {
    return send({ ...req, insecure: this.options.insecure, timeoutMs: this.options.timeoutMs });
  }

  /** Trades a 401 challenge for an Authorization header and remembers it for the scope. */
  private async authenticate(challenge: string | undefined, scope: string): Promise<string> {
    const { scheme, params } = parseChallenge(challenge ?? '');
    const creds = this.options.credentials?.(this.registry);
    const basic = creds?.username !== undefined ? `Basic ${Buffer.from(`${creds.username}:${creds.password ?? ''}`).toString('base64')}` : undefined;
    if (scheme === 'basic') {
      if (!basic) throw new RegistryError(`${this.registry}: authentication required and no credentials for it in the Docker config`, 401);
      this.auth.set('', basic);
      return basic;
    }
    if (scheme !== 'bearer' || !params.realm) throw new RegistryError(`${this.registry}: unsupported authentication challenge ${JSON.stringify(challenge ?? '')}`, 401);
    const url = new URL(params.realm);
    if (url.protocol !== 'https:' && !(url.protocol === 'http:' && (isLoopback(url.host) || this.options.insecure))) {
      throw new RegistryError(`${this.registry}: refusing to send credentials to the token service ${url.origin} over plain HTTP`);
    }
    if (params.service) url.searchParams.set('service', params.service);
    url.searchParams.set('scope', params.scope || scope);
    const res = await this.raw({ method: 'GET', url, headers: basic ? { authorization: basic } : {} });
    const body = await readAll(res.body, 1024 * 1024);
    if (res.status !== 200) throw new RegistryError(`${this.registry}: token service answered ${res.status}`, res.status);
    const json = JSON.parse(body.toString('utf8')) as { token?: string; access_token?: string };
    const token = json.token ?? json.access_token;
    if (!token) throw new RegistryError(`${this.registry}: the token service gave no token`);
    const header = `Bearer ${token}`;
    this.auth.set(scope, header);
    return header;
  }

  /**
   * A request to the registry's API, authenticated for `scope`; a 401 is answered once with
   * credentials when the body can be sent again. Follows redirects (blob storage) without
   * passing the Authorization header to another host.
   */
  private async request(method: HttpRequest['method'], path: string, scope: string, extra: { headers?: Record<string, string>; body?: Buffer | Readable } = {}): Promise<HttpResponse> {
    let url = new URL(path.startsWith('http') ? path : `${await this.baseUrl()}${path}`);
    for (let attempt = 0; ; attempt++) {
      const authorization = this.auth.get(scope) ?? this.auth.get('');
      let res = await this.raw({ method, url, headers: { ...(authorization ? { authorization } : {}), ...extra.headers }, ...(extra.body ? { body: extra.body } : {}) });
      for (let hops = 0; [301, 302, 303, 307, 308].includes(res.status) && res.headers.location && hops < 5; hops++) {
        drain(res.body);
        const next = new URL(res.headers.location, url);
        const sameHost = next.host === url.host;
        url = next;
        res = await this.raw({ method: method === 'HEAD' ? 'HEAD' : 'GET', url, headers: sameHost && authorization ? { authorization } : {} });
      }
      if (res.status === 401 && attempt === 0 && !(extra.body && !Buffer.isBuffer(extra.body))) {
        drain(res.body);
        await this.authenticate(res.headers['www-authenticate'] as string | undefined, scope);
        continue;
      }
      return res;
    }
  }

  private async fail(res: HttpResponse, what: string): Promise<never> {
    let detail = '';
    try {
      const body = (await readAll(res.body, 64 * 1024)).toString('utf8');
      const errors = (JSON.parse(body) as { errors?: { code?: string; message?: string }[] }).errors ?? [];
      detail = errors.map((e) => `${e.code ?? ''}: ${e.message ?? ''}`).join('; ');
    } catch {
      // not a registry error document
    }
    throw new RegistryError(`${this.registry}: ${what}: HTTP ${res.status}${detail ? ` (${detail})` : ''}`, res.status);
  }

  async getManifest(repository: string, reference: string): Promise<Manifest> {
    const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, `repository:${repository}:pull`, { headers: { accept: ACCEPT } });
    if (res.status !== 200) return this.fail(res, `manifest ${repository}:${reference}`);
    const bytes = await readAll(res.body, 4 * 1024 * 1024);
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) throw new RegistryError(`${this.registry}: manifest ${repository}@${reference} has digest ${digest}`);
    const declared = (res.headers['content-type'] ?? '').split(';')[0]!.trim();
    let mediaType = declared;
    if (!Object.values(MEDIA_TYPES).includes(mediaType as never)) {
      mediaType = (JSON.parse(bytes.toString('utf8')) as { mediaType?: string }).mediaType ?? '';
    }
    if (!Object.values(MEDIA_TYPES).includes(mediaType as never)) throw new RegistryError(`${this.registry}: manifest ${repository}:${reference} has an unsupported type ${JSON.stringify(declared)}`);
    return { mediaType, digest, bytes };
  }

  /** The digest of a manifest, or undefined when there is none under that reference. */
  async manifestDigest(repository: string, reference: string, actions = 'pull'): Promise<string | undefined> {
    const res = await this.request('HEAD', `/v2/${repository}/manifests/${reference}`, `repository:${repository}:${actions}`, { headers: { accept: ACCEPT } });
    drain(res.body);
    if (res.status === 404) return undefined;
    if (res.status !== 200) return this.fail(res, `manifest ${repository}:${reference}`);
    return (res.headers['docker-content-digest'] as string | undefined) ?? undefined;
  }

  async putManifest(repository: string, reference: string, manifest: Manifest): Promise<void> {
    const res = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, `repository:${repository}:pull,push`, {
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
    });
    if (res.status !== 201 && res.status !== 200) return this.fail(res, `pushing manifest ${repository}:${reference}`);
    drain(res.body);
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, `repository:${repository}:pull,push`);
    drain(res.body);
    if (res.status === 200) return true;
    if (res.status === 404) return false;
    return this.fail(res, `blob ${repository}@${digest}`);
  }

  async getBlob(repository: string, digest: string): Promise<IncomingMessage> {
    const res = await this.request('GET', `/v2/${repository}/blobs/${digest}`, `repository:${repository}:pull`);
    if (res.status !== 200) return this.fail(res, `blob ${repository}@${digest}`);
    return res.body;
  }

  /** A monolithic upload: POST for a session, then one PUT with the content; the registry checks the digest. */
  async putBlob(repository: string, digest: string, size: number, content: Readable): Promise<void> {
    const scope = `repository:${repository}:pull,push`;
    const start = await this.request('POST', `/v2/${repository}/blobs/uploads/`, scope, { headers: { 'content-length': '0' }, body: Buffer.alloc(0) });
    if (start.status !== 202 || !start.headers.location) return this.fail(start, `starting an upload to ${repository}`);
    drain(start.body);
    const url = new URL(start.headers.location, await this.baseUrl());
    url.searchParams.set('digest', digest);
    const res = await this.request('PUT', url.toString(), scope, {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body: content,
    });
    if (res.status !== 201) return this.fail(res, `uploading ${digest} to ${repository}`);
    drain(res.body);
  }
}
