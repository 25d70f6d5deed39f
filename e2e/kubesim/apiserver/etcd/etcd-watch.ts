// Streaming watch over the etcd JSON gateway (POST /v3/watch, one JSON object per line).
import type { ClientRequest } from 'node:http';
import { decodeKv, prefixRangeEnd, type EtcdClient, type KeyValue, type RawKv } from './etcd-client.js';

export interface WatchEvent {
  type: 'PUT' | 'DELETE';
  kv: KeyValue;
  prevKv?: KeyValue;
}

export interface WatchHandlers {
  onEvents(events: WatchEvent[]): void;
  /** The watch ended (member down, compaction, ...); compactRevision set when too old. */
  onEnd(reason: { error?: string; compactRevision?: number }): void;
}

const decode = (raw: RawKv): KeyValue => decodeKv(raw);

/** Watch every key under prefix from startRevision on. Returns a cancel function. */
export function watchPrefix(client: EtcdClient, prefix: string, startRevision: number, handlers: WatchHandlers): () => void {
  let ended = false;
  let current: ClientRequest | undefined;
  const finish = (reason: { error?: string; compactRevision?: number }): void => {
    if (ended) return;
    ended = true;
    current?.destroy();
    handlers.onEnd(reason);
  };
  const endpoints = client.endpointOrder();
  const attempt = (i: number): void => {
    if (ended) return;
    const endpoint = endpoints[i];
    if (!endpoint) {
      finish({ error: 'no etcd endpoint accepted the watch' });
      return;
    }
    const body = JSON.stringify({
      create_request: { key: Buffer.from(prefix).toString('base64'), range_end: prefixRangeEnd(prefix), start_revision: String(startRevision), prev_kv: true },
    });
    let established = false;
    let buffer = '';
    const { request, agent } = client.transport(endpoint);
    const req = request(
      { protocol: endpoint.protocol, hostname: endpoint.hostname, port: endpoint.port, path: '/v3/watch', method: 'POST', agent, headers: { 'content-type': 'application/json' } },
      (res) => {
        if (res.statusCode !== 200) {
          res.resume();
          attempt(i + 1);
          return;
        }
        established = true;
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let nl: number;
          while ((nl = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, nl).trim();
            buffer = buffer.slice(nl + 1);
            if (line) handleLine(line);
          }
        });
        res.on('end', () => finish({ error: 'etcd watch stream closed' }));
        res.on('error', (e) => finish({ error: e.message }));
      },
    );
    current = req;
    req.on('error', (e) => {
      if (!established) attempt(i + 1);
      else finish({ error: e.message });
    });
    req.end(body);
  };
  const handleLine = (line: string): void => {
    let msg: { result?: { events?: Array<{ type?: string; kv: RawKv; prev_kv?: RawKv }>; compact_revision?: string; canceled?: boolean; cancel_reason?: string }; error?: unknown };
    try {
      msg = JSON.parse(line);
    } catch {
      return;
    }
    const r = msg.result;
    if (!r) {
      finish({ error: `etcd watch error: ${JSON.stringify(msg.error ?? msg)}` });
      return;
    }
    if (r.compact_revision && Number(r.compact_revision) > 0) {
      finish({ compactRevision: Number(r.compact_revision) });
      return;
    }
    if (r.canceled) {
      finish({ error: r.cancel_reason ?? 'watch canceled' });
      return;
    }
    if (r.events?.length) {
      handlers.onEvents(
        r.events.map((e) => ({ type: e.type === 'DELETE' ? 'DELETE' : 'PUT', kv: decode(e.kv), prevKv: e.prev_kv ? decode(e.prev_kv) : undefined })),
      );
    }
  };
  attempt(0);
  return () => {
    ended = true;
    current?.destroy();
  };
}
