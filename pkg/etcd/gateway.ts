// An etcd v3 client over etcd's JSON gateway (the gRPC API as HTTP+JSON, served on the client
// port), every connection dialled through an SSH channel of a control plane and verified
// against the etcd CA. The client certificate and key are read from that control plane and
// stay in memory. Used by `kubeone etcd ...`; the probe and the etcd.member.remove op ask the
// same gateway from the host itself.
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { TunnelAgent } from '../kube/tunnel-client.js';
import { KubeOneError, ExitCode } from '../errors/exit-codes.js';

/** What a control plane holds for etcd clients (kubeadm's paths). */
export const ETCD_CLIENT_FILES = {
  ca: '/etc/kubernetes/pki/etcd/ca.crt',
  cert: '/etc/kubernetes/pki/etcd/healthcheck-client.crt',
  key: '/etc/kubernetes/pki/etcd/healthcheck-client.key',
} as const;

export const ETCD_CLIENT_PORT = 2379;

export interface EtcdTls {
  ca: Buffer;
  cert: Buffer;
  key: Buffer;
}

export interface EtcdMember {
  /** uint64, in decimal (as the gateway sends it: a JSON string). */
  id: string;
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  isLearner: boolean;
}

export interface EtcdAlarm {
  memberId: string;
  /** NOSPACE, CORRUPT (the gateway omits NONE). */
  alarm: string;
}

/** An etcd failure: KubeOne's exit code 11. */
export class EtcdError extends KubeOneError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, ExitCode.etcd, options);
    this.name = 'EtcdError';
  }
}

/** `https://10.0.0.1:2379` -> host and port (IPv6 without brackets). */
export function parseClientUrl(url: string): { host: string; port: number } {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new EtcdError(`etcd client URL ${JSON.stringify(url)} does not parse`);
  }
  if (parsed.protocol !== 'https:') throw new EtcdError(`etcd client URL ${url} is not https`);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  return { host, port: Number(parsed.port || 443) };
}

const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.map(str) : []);

export class EtcdGateway {
  private readonly agents = new Map<string, TunnelAgent>();

  /** @param dial opens a TCP channel to host:port from the control plane the certificates came from. */
  constructor(
    private readonly dial: (host: string, port: number) => Promise<Duplex>,
    private readonly tls: EtcdTls,
    /** The member asked for cluster-wide calls (member list, alarms, snapshot). */
    readonly endpoint: string,
    private readonly timeoutMs = 30_000,
  ) {}

  private agent(host: string, port: number): TunnelAgent {
    const key = `${host}:${port}`;
    let agent = this.agents.get(key);
    if (!agent) {
      agent = new TunnelAgent(() => this.dial(host, port), { ca: this.tls.ca, cert: this.tls.cert, key: this.tls.key, rejectUnauthorized: true });
      this.agents.set(key, agent);
    }
    return agent;
  }

  /** POSTs to the gateway at `endpoint`; resolves with the response stream once the status is known. */
  private open(endpoint: string, path: string, body: unknown): Promise<import('node:http').IncomingMessage> {
    const { host, port } = parseClientUrl(endpoint);
    const payload = JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = https.request(
        {
          host,
          port,
          path,
          method: 'POST',
          agent: this.agent(host, port),
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) },
          timeout: this.timeoutMs,
        },
        resolve,
      );
      req.on('timeout', () => req.destroy(new Error(`no answer from etcd at ${endpoint} within ${this.timeoutMs / 1000} s`)));
      req.on('error', (e) => reject(new EtcdError(`etcd at ${endpoint}: ${e.message}`, { cause: e })));
      req.end(payload);
    });
  }

  private async call(path: string, body: unknown, endpoint = this.endpoint): Promise<Record<string, unknown>> {
    const res = await this.open(endpoint, path, body);
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw new EtcdError(`etcd at ${endpoint} answered ${path} with HTTP ${res.statusCode} and no JSON: ${text.slice(0, 200)}`);
    }
    if ((res.statusCode ?? 0) >= 400) throw new EtcdError(`etcd at ${endpoint}: ${path}: ${str(parsed.message) || str(parsed.error) || `HTTP ${res.statusCode}`}`);
    return parsed;
  }

  async memberList(): Promise<EtcdMember[]> {
    const r = await this.call('/v3/cluster/member/list', {});
    return (Array.isArray(r.members) ? r.members : []).map((m: Record<string, unknown>) => ({
      id: str(m.ID),
      name: str(m.name),
      peerURLs: strs(m.peerURLs),
      clientURLs: strs(m.clientURLs),
      isLearner: m.isLearner === true,
    }));
  }

  async alarmList(): Promise<EtcdAlarm[]> {
    const r = await this.call('/v3/maintenance/alarm', { action: 'GET' });
    return (Array.isArray(r.alarms) ? r.alarms : []).map((a: Record<string, unknown>) => ({ memberId: str(a.memberID), alarm: str(a.alarm) || 'NONE' }));
  }

  async alarmDisarm(alarm: EtcdAlarm): Promise<void> {
    await this.call('/v3/maintenance/alarm', { action: 'DEACTIVATE', memberID: alarm.memberId, alarm: alarm.alarm });
  }

  /** Defragments the member serving `clientUrl` (a member defragments only its own backend). */
  async defragment(clientUrl: string): Promise<void> {
    await this.call('/v3/maintenance/defragment', {}, clientUrl);
  }

  /** GET `path` at `endpoint`: its status and JSON object, or null when it does not answer with JSON. */
  private getJson(path: string): Promise<{ status: number; body: Record<string, unknown> } | null> {
    const { host, port } = parseClientUrl(this.endpoint);
    return new Promise((resolve) => {
      const req = https.get({ host, port, path, agent: this.agent(host, port), timeout: this.timeoutMs }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          try {
            resolve({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown> });
          } catch {
            resolve(null);
          }
        });
      });
      req.on('error', () => resolve(null));
      req.on('timeout', () => req.destroy());
    });
  }

  /** etcd's version at `endpoint` (GET /version: {"etcdserver": "3.4.23", ...}), '' when unknown. */
  async version(): Promise<string> {
    return str((await this.getJson('/version'))?.body?.etcdserver);
  }

  /** Whether the member at `endpoint` says it is healthy (GET /health: {"health":"true"}); false when it does not answer. */
  async health(): Promise<boolean> {
    const r = await this.getJson('/health');
    return r?.status === 200 && (r.body?.health === 'true' || r.body?.health === true);
  }

  /**
   * Streams a snapshot of the backend to `write` (chunks in order). The gateway sends one JSON
   * message per line, `{"result":{"remaining_bytes":"N","blob":"<base64>"}}`; an `error` message
   * fails the call. Resolves with the number of bytes written.
   */
  async snapshot(write: (chunk: Buffer) => Promise<void>): Promise<number> {
    const res = await this.open(this.endpoint, '/v3/maintenance/snapshot', {});
    if ((res.statusCode ?? 0) >= 400) {
      const chunks: Buffer[] = [];
      for await (const c of res) chunks.push(c as Buffer);
      throw new EtcdError(`etcd at ${this.endpoint}: snapshot: HTTP ${res.statusCode}: ${Buffer.concat(chunks).toString('utf8').slice(0, 200)}`);
    }
    let pending = '';
    let total = 0;
    let last = false;
    const handle = async (line: string): Promise<void> => {
      if (line.trim() === '') return;
      const message = JSON.parse(line) as { result?: { blob?: string; remaining_bytes?: string | number }; error?: { message?: string } };
      if (message.error) throw new EtcdError(`etcd at ${this.endpoint}: snapshot: ${message.error.message ?? JSON.stringify(message.error)}`);
      const blob = Buffer.from(message.result?.blob ?? '', 'base64');
      if (blob.length > 0) await write(blob);
      total += blob.length;
      last = Number(message.result?.remaining_bytes ?? 0) === 0;
    };
    res.setEncoding('utf8');
    for await (const chunk of res) {
      pending += chunk as string;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        await handle(pending.slice(0, nl));
        pending = pending.slice(nl + 1);
      }
    }
    await handle(pending);
    if (!last || total === 0) throw new EtcdError(`etcd at ${this.endpoint}: the snapshot stream ended early (${total} bytes)`);
    return total;
  }

  close(): void {
    for (const a of this.agents.values()) a.destroy();
    this.agents.clear();
  }
}
