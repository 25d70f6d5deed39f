// ?watch=true: a chunked stream of {"type","object"} lines fed by an etcd watch.
// Without a resourceVersion (or "0") the current objects are sent as ADDED first.
import type { ServerResponse } from 'node:http';
import { watchPrefix, type WatchEvent } from '../etcd/etcd-watch.js';
import { ApiError } from '../http/status.js';
import { parseFieldSelector, parseLabelSelector } from '../selectors/selectors.js';
import type { KubeObject } from '../storage/object-store.js';
import type { RequestContext } from './context.js';
import type { Rendering } from './read.js';
import { toTable } from './table.js';

const DEFAULT_TIMEOUT_S = 1800;

export async function serveWatch(ctx: RequestContext, res: ServerResponse, rendering: Rendering = 'object'): Promise<void> {
  const { def, deps } = ctx;
  const labels = parseLabelSelector(ctx.query.get('labelSelector'));
  const fields = parseFieldSelector(ctx.query.get('fieldSelector'));
  const nameFilter = ctx.name;
  const matches = (o: KubeObject): boolean => (!nameFilter || o.metadata.name === nameFilter) && labels(o.metadata.labels) && fields(o);
  const rv = ctx.query.get('resourceVersion');
  const sendInitial = ctx.query.get('sendInitialEvents') === 'true' || !rv || rv === '0';
  const initial: KubeObject[] = [];
  let start: number;
  if (sendInitial) {
    const listed = await deps.store.list(def, ctx.namespace);
    initial.push(...listed.items.filter(matches));
    start = listed.revision + 1;
  } else {
    start = Number(rv) + 1;
    if (!Number.isFinite(start)) throw new ApiError(400, 'BadRequest', `invalid resource version "${rv}"`);
  }

  res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'cache-control': 'no-cache, private' });
  // Clients wait for the headers before they consider the watch established.
  res.flushHeaders();
  // kubectl get -w asks for Tables: every event then carries a one-row Table.
  const render = (type: string, object: unknown): unknown => {
    if (type === 'ERROR' || type === 'BOOKMARK') return object;
    const o = object as KubeObject;
    if (rendering === 'table') return toTable(def, [o], { resourceVersion: o.metadata.resourceVersion }, ctx.query.get('includeObject'), new Date());
    if (rendering === 'metadata') return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
    return o;
  };
  const send = (type: string, object: unknown): void => {
    res.write(JSON.stringify({ type, object: render(type, object) }) + '\n');
  };
  for (const o of initial) send('ADDED', o);
  if (ctx.query.get('sendInitialEvents') === 'true' && ctx.query.get('allowWatchBookmarks') === 'true') {
    send('BOOKMARK', {
      kind: def.kind,
      apiVersion: def.group ? `${def.group}/${def.version}` : def.version,
      metadata: { resourceVersion: String(start - 1), annotations: { 'k8s.io/initial-events-end': 'true' } },
    });
  }

  const prefix = deps.store.keyPrefix(def, ctx.namespace);
  const depth = def.namespaced && !ctx.namespace ? 2 : 1;
  const toObject = (kv: WatchEvent['kv'], revision?: number): KubeObject | undefined => {
    const rest = kv.key.slice(prefix.length);
    if (rest.split('/').length !== depth) return undefined;
    const o = deps.store.decode(def, kv);
    if (revision !== undefined) o.metadata.resourceVersion = String(revision);
    return o;
  };

  await new Promise<void>((resolve) => {
    const timeoutS = Number(ctx.query.get('timeoutSeconds') ?? DEFAULT_TIMEOUT_S);
    const cancel = watchPrefix(deps.store.etcd, prefix, start, {
      onEvents(events) {
        for (const e of events) {
          if (e.type === 'DELETE') {
            const prev = e.prevKv && toObject(e.prevKv, e.kv.modRevision);
            if (prev && matches(prev)) send('DELETED', prev);
            continue;
          }
          const now = toObject(e.kv);
          if (!now) continue;
          const before = e.prevKv ? toObject(e.prevKv) : undefined;
          const was = before !== undefined && matches(before);
          const is = matches(now);
          if (is) send(was || (e.kv.createRevision !== e.kv.modRevision && !before) ? 'MODIFIED' : 'ADDED', now);
          else if (was) send('DELETED', { ...before, metadata: { ...before!.metadata, resourceVersion: now.metadata.resourceVersion } });
        }
      },
      onEnd(reason) {
        if (reason.compactRevision) {
          send('ERROR', new ApiError(410, 'Expired', `too old resource version: ${start - 1} (${reason.compactRevision})`).toStatus());
        }
        stop();
      },
    });
    const timer = setTimeout(() => stop(), Math.max(1, timeoutS) * 1000);
    let stopped = false;
    function stop(): void {
      if (stopped) return;
      stopped = true;
      clearTimeout(timer);
      cancel();
      res.end();
      resolve();
    }
    res.on('close', stop);
  });
}
