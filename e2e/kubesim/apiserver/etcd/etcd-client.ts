// Minimal etcd v3 client speaking etcd's JSON gateway (grpc-gateway) over HTTPS.
// Only node built-ins are used so the apiserver bundles into one file for Node 18.
// Endpoints are tried in turn: a member that is down or has no quorum is skipped,
// and when no member answers an EtcdUnavailableError surfaces (mapped to HTTP 503).
import * as http from 'node:http';
import * as https from 'node:https';
import * as fs from 'node:fs';

export interface EtcdClientOptions {
  endpoints: string[];
  certFile?: string;
  keyFile?: string;
  caFile?: string;
  /** Per-attempt timeout. Linearizable requests without quorum hang until this. */
  requestTimeoutMs?: number;
}

export interface KeyValue {
  key: string;
  /** The value as UTF-8 text (JSON documents). */
  value: string;
  /** The value's bytes (encrypted values are binary). */
  valueBytes: Buffer;
  createRevision: number;
  modRevision: number;
  version: number;
}

export interface RangeResult {
  kvs: KeyValue[];
  /** Store revision at the time of the read (used as a list resourceVersion). */
  revision: number;
  more: boolean;
  count: number;
}

export interface TxnResult {
  succeeded: boolean;
  revision: number;
  /** On failure: the current value of the compared key (if it exists). */
  current?: KeyValue;
}

/** No etcd endpoint could serve the request (down, no leader, timed out). */
export class EtcdUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EtcdUnavailableError';
  }
}

/** etcd answered but refused the request (bad request, too large, ...). */
export class EtcdRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EtcdRequestError';
  }
}

const b64 = (s: string | Buffer): string => (typeof s === 'string' ? Buffer.from(s, 'utf8') : s).toString('base64');
const unb64 = (s: string | undefined): string => (s ? Buffer.from(s, 'base64').toString('utf8') : '');

/** The first key after every key that starts with prefix (etcd's range_end for a prefix). */
export function prefixRangeEnd(prefix: string): string {
  const buf = Buffer.from(prefix, 'utf8');
  for (let i = buf.length - 1; i >= 0; i--) {
    if (buf[i]! < 0xff) {
      const end = Buffer.from(buf.subarray(0, i + 1));
      end[i] = buf[i]! + 1;
      return end.toString('base64');
    }
  }
  return Buffer.from([0]).toString('base64');
}

export interface RawKv {
  key?: string;
  value?: string;
  create_revision?: string;
  mod_revision?: string;
  version?: string;
}

export function decodeKv(raw: RawKv): KeyValue {
  const bytes = raw.value ? Buffer.from(raw.value, 'base64') : Buffer.alloc(0);
  return {
    key: unb64(raw.key),
    value: bytes.toString('utf8'),
    valueBytes: bytes,
    createRevision: Number(raw.create_revision ?? 0),
    modRevision: Number(raw.mod_revision ?? 0),
    version: Number(raw.version ?? 0),
  };
}

// Status codes of gRPC errors that mean "this member can't serve right now".
const UNAVAILABLE_GRPC_CODES = new Set([1, 4, 14]);

export class EtcdClient {
  private readonly agent: https.Agent;
  /** For http:// endpoints (etcd without client TLS). */
  private readonly plainAgent = new http.Agent({ keepAlive: true, maxSockets: 16 });
  private readonly endpoints: URL[];
  private readonly timeoutMs: number;
  private preferred = 0;

  constructor(opts: EtcdClientOptions) {
    if (opts.endpoints.length === 0) throw new Error('etcd: at least one endpoint is required');
    this.endpoints = opts.endpoints.map((e) => new URL(e));
    this.timeoutMs = opts.requestTimeoutMs ?? 4000;
    this.agent = new https.Agent({
      keepAlive: true,
      maxSockets: 16,
      ca: opts.caFile ? fs.readFileSync(opts.caFile) : undefined,
      cert: opts.certFile ? fs.readFileSync(opts.certFile) : undefined,
      key: opts.keyFile ? fs.readFileSync(opts.keyFile) : undefined,
    });
  }

  close(): void {
    this.agent.destroy();
    this.plainAgent.destroy();
  }

  async get(key: string): Promise<{ kv?: KeyValue; revision: number }> {
    const r = await this.call('/v3/kv/range', { key: b64(key) }, true);
    const kvs = ((r.kvs as RawKv[] | undefined) ?? []).map(decodeKv);
    return { kv: kvs[0], revision: headerRevision(r) };
  }

  /** All keys under a prefix, optionally continuing after startKey, at most limit keys. */
  async list(prefix: string, opts: { limit?: number; startKey?: string; revision?: number } = {}): Promise<RangeResult> {
    const body: Record<string, unknown> = {
      key: b64(opts.startKey ?? prefix),
      range_end: prefixRangeEnd(prefix),
    };
    if (opts.limit) body.limit = String(opts.limit);
    if (opts.revision) body.revision = String(opts.revision);
    const r = await this.call('/v3/kv/range', body, true);
    const kvs = ((r.kvs as RawKv[] | undefined) ?? []).map(decodeKv);
    return { kvs, revision: headerRevision(r), more: Boolean(r.more), count: Number(r.count ?? kvs.length) };
  }

  /** Put key only if it does not exist yet. */
  async create(key: string, value: string | Buffer): Promise<TxnResult> {
    return this.txnOnKey(key, { target: 'CREATE', create_revision: '0' }, [{ request_put: { key: b64(key), value: b64(value) } }]);
  }

  /** Put key only if its mod revision is still modRevision. */
  async update(key: string, value: string | Buffer, modRevision: number): Promise<TxnResult> {
    return this.txnOnKey(key, { target: 'MOD', mod_revision: String(modRevision) }, [{ request_put: { key: b64(key), value: b64(value) } }]);
  }

  /** Delete key only if its mod revision is still modRevision. */
  async delete(key: string, modRevision: number): Promise<TxnResult> {
    return this.txnOnKey(key, { target: 'MOD', mod_revision: String(modRevision) }, [{ request_delete_range: { key: b64(key) } }]);
  }

  /** Delete every key under prefix (custom resources of a deleted CRD). */
  async deletePrefix(prefix: string): Promise<number> {
    const r = await this.call('/v3/kv/deleterange', { key: b64(prefix), range_end: prefixRangeEnd(prefix) }, false);
    return Number(r.deleted ?? 0);
  }

  /** Unconditional put (bootstrap data, leases). */
  async put(key: string, value: string | Buffer): Promise<number> {
    const r = await this.call('/v3/kv/put', { key: b64(key), value: b64(value) }, false);
    return headerRevision(r);
  }

  /** Current store revision (cheap read of a key that never exists). */
  async revision(): Promise<number> {
    const r = await this.call('/v3/kv/range', { key: b64('/\u0000kubesim-revision-probe'), count_only: true }, true);
    return headerRevision(r);
  }

  private async txnOnKey(key: string, compare: Record<string, string>, success: unknown[]): Promise<TxnResult> {
    const body = {
      compare: [{ key: b64(key), result: 'EQUAL', ...compare }],
      success,
      failure: [{ request_range: { key: b64(key) } }],
    };
    const r = await this.call('/v3/kv/txn', body, false);
    const succeeded = Boolean(r.succeeded);
    const result: TxnResult = { succeeded, revision: headerRevision(r) };
    if (!succeeded) {
      const responses = (r.responses as Array<{ response_range?: { kvs?: RawKv[] } }> | undefined) ?? [];
      const raw = responses[0]?.response_range?.kvs?.[0];
      if (raw) result.current = decodeKv(raw);
    }
    return result;
  }

  /** The endpoint currently preferred (first to be tried); used by watches. */
  endpointOrder(): URL[] {
    const n = this.endpoints.length;
    return Array.from({ length: n }, (_, i) => this.endpoints[(this.preferred + i) % n]!);
  }

  /** The request function and agent for an endpoint's scheme. */
  transport(endpoint: URL): { request: typeof https.request; agent: http.Agent } {
    return endpoint.protocol === 'http:' ? { request: http.request as unknown as typeof https.request, agent: this.plainAgent } : { request: https.request, agent: this.agent };
  }

  markPreferred(endpoint: URL): void {
    const i = this.endpoints.indexOf(endpoint);
    if (i >= 0) this.preferred = i;
  }

  /**
   * POST to each endpoint in turn. Reads may be retried after a timeout; writes are
   * retried only when the request provably never reached a member (connection refused)
   * or the member said it could not serve (no leader / unavailable), so a write is not
   * applied twice.
   */
  private async call(path: string, body: unknown, idempotent: boolean): Promise<Record<string, unknown>> {
    const errors: string[] = [];
    for (const endpoint of this.endpointOrder()) {
      try {
        const result = await this.post(endpoint, path, body);
        this.markPreferred(endpoint);
        return result;
      } catch (err) {
        if (err instanceof EtcdRequestError) throw err;
        const e = err as Error & { code?: string; retryable?: boolean };
        errors.push(`${endpoint.host}: ${e.message}`);
        const safeToRetry = idempotent || e.retryable === true || e.code === 'ECONNREFUSED' || e.code === 'EHOSTUNREACH';
        if (!safeToRetry) break;
      }
    }
    throw new EtcdUnavailableError(`etcd unavailable: ${errors.join('; ')}`);
  }

  private post(endpoint: URL, path: string, body: unknown): Promise<Record<string, unknown>> {
    const payload = JSON.stringify(body);
    const { request, agent } = this.transport(endpoint);
    return new Promise((resolve, reject) => {
      const req = request(
        {
          protocol: endpoint.protocol,
          hostname: endpoint.hostname,
          port: endpoint.port,
          path,
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: Record<string, unknown>;
            try {
              parsed = text ? (JSON.parse(text) as Record<string, unknown>) : {};
            } catch {
              reject(Object.assign(new Error(`invalid etcd response (${res.statusCode}): ${text.slice(0, 200)}`), { retryable: true }));
              return;
            }
            if (res.statusCode === 200) {
              resolve(parsed);
              return;
            }
            const message = String(parsed.message ?? parsed.error ?? `HTTP ${res.statusCode}`);
            const code = Number(parsed.code ?? 0);
            if (UNAVAILABLE_GRPC_CODES.has(code) || (res.statusCode ?? 0) >= 500) {
              reject(Object.assign(new Error(message), { retryable: code === 14 }));
            } else {
              reject(new EtcdRequestError(message));
            }
          });
        },
      );
      req.on('timeout', () => req.destroy(Object.assign(new Error(`request timed out after ${this.timeoutMs}ms`), { code: 'ETIMEDOUT' })));
      req.on('error', reject);
      req.end(payload);
    });
  }
}

function headerRevision(r: Record<string, unknown>): number {
  const header = r.header as { revision?: string } | undefined;
  return Number(header?.revision ?? 0);
}
