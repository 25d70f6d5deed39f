// A small Kubernetes REST client over node:https (kubeadm, kubelet and kubectl
// of the simulator run on the hosts' Node 18 and must stay one small file each).
import * as https from 'node:https';
import type { ClientConfig } from './kubeconfig.js';

export interface KubeResponse {
  status: number;
  body: any;
  text: string;
}

export class KubeError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly body?: any,
  ) {
    super(message);
  }
}

export type KubeObject = Record<string, any>;

export class KubeClient {
  private readonly agent: https.Agent;

  constructor(
    readonly config: ClientConfig,
    private readonly userAgent = 'kubesim',
    private readonly timeoutMs = 10_000,
  ) {
    this.agent = new https.Agent({ ca: config.ca, cert: config.cert, key: config.key, rejectUnauthorized: !config.insecure && !!config.ca, keepAlive: true, maxSockets: 8 });
  }

  close(): void {
    this.agent.destroy();
  }

  request(method: string, path: string, body?: unknown, contentType = 'application/json', accept = 'application/json'): Promise<KubeResponse> {
    const url = new URL(path, this.config.server);
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const headers: Record<string, string> = { Accept: accept, 'User-Agent': this.userAgent };
    if (payload !== undefined) {
      headers['Content-Type'] = contentType;
      headers['Content-Length'] = String(Buffer.byteLength(payload));
    }
    if (this.config.token) headers.Authorization = `Bearer ${this.config.token}`;
    return new Promise((resolve, reject) => {
      const req = https.request(url, { method, headers, agent: this.agent, timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: any = text;
          try {
            parsed = text ? JSON.parse(text) : undefined;
          } catch {
            /* plain text (healthz) */
          }
          resolve({ status: res.statusCode ?? 0, body: parsed, text });
        });
        res.on('error', reject);
      });
      req.on('timeout', () => req.destroy(new Error(`request to ${url.host} timed out after ${this.timeoutMs}ms`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  }

  private async expectOk(method: string, path: string, body?: unknown, contentType?: string): Promise<any> {
    const res = await this.request(method, path, body, contentType);
    if (res.status >= 200 && res.status < 300) return res.body;
    const msg = res.body?.message ?? res.text ?? `HTTP ${res.status}`;
    throw new KubeError(res.status, msg, res.body);
  }

  async get(path: string): Promise<KubeObject | undefined> {
    const res = await this.request('GET', path);
    if (res.status === 404) return undefined;
    if (res.status >= 200 && res.status < 300) return res.body;
    throw new KubeError(res.status, res.body?.message ?? res.text, res.body);
  }

  list(path: string): Promise<KubeObject> {
    return this.expectOk('GET', path);
  }

  create(collectionPath: string, obj: KubeObject): Promise<KubeObject> {
    return this.expectOk('POST', collectionPath, obj);
  }

  update(path: string, obj: KubeObject): Promise<KubeObject> {
    return this.expectOk('PUT', path, obj);
  }

  patch(path: string, patch: unknown, type: 'merge' | 'strategic' | 'json' = 'merge'): Promise<KubeObject> {
    const ct = { merge: 'application/merge-patch+json', strategic: 'application/strategic-merge-patch+json', json: 'application/json-patch+json' }[type];
    return this.expectOk('PATCH', path, patch, ct);
  }

  async delete(path: string): Promise<boolean> {
    const res = await this.request('DELETE', path);
    if (res.status === 404) return false;
    if (res.status >= 200 && res.status < 300) return true;
    throw new KubeError(res.status, res.body?.message ?? res.text, res.body);
  }

  /** Create, or replace the existing object keeping its resourceVersion (kubeadm's CreateOrUpdate). */
  async createOrUpdate(collectionPath: string, obj: KubeObject): Promise<KubeObject> {
    const name = obj.metadata.name as string;
    const existing = await this.get(`${collectionPath}/${name}`);
    if (!existing) {
      try {
        return await this.create(collectionPath, obj);
      } catch (err) {
        if (!(err instanceof KubeError && err.status === 409)) throw err;
      }
    }
    const current = existing ?? (await this.get(`${collectionPath}/${name}`));
    return this.update(`${collectionPath}/${name}`, { ...obj, metadata: { ...obj.metadata, resourceVersion: current?.metadata?.resourceVersion } });
  }

  /** Create unless it exists (kubeadm's CreateOrRetain). */
  async createIfMissing(collectionPath: string, obj: KubeObject): Promise<void> {
    if (await this.get(`${collectionPath}/${obj.metadata.name}`)) return;
    try {
      await this.create(collectionPath, obj);
    } catch (err) {
      if (!(err instanceof KubeError && err.status === 409)) throw err;
    }
  }

  async healthz(path = '/healthz'): Promise<boolean> {
    try {
      const res = await this.request('GET', path);
      return res.status === 200 && String(res.text).trim() === 'ok';
    } catch {
      return false;
    }
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Retry fn until it resolves or the deadline passes (kubeadm's wait loops). */
export async function poll<T>(what: string, timeoutMs: number, intervalMs: number, fn: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (err) {
      // Errors marked fatal (a denied CSR, a CA that does not match its pin) end the wait.
      if ((err as { fatal?: boolean }).fatal) throw err;
      lastErr = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}${lastErr ? `: ${(lastErr as Error).message}` : ''}`);
    }
    await sleep(intervalMs);
  }
}

/**
 * Retry an API step on errors for up to timeoutMs (kubeadm's apiclient retries
 * its calls for timeouts.kubernetesAPICall, 1m by default): a fresh API server
 * may answer /livez before its bootstrap (system namespaces) is done.
 */
export async function withApiRetry<T>(fn: () => Promise<T>, timeoutMs = 60_000, intervalMs = 500): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() + intervalMs > deadline) throw err;
      await sleep(intervalMs);
    }
  }
}
