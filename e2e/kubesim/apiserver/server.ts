// startApiServer: the HTTPS front of the simulated kube-apiserver.
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as https from 'node:https';
import * as os from 'node:os';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadAdmission } from './admission/admission-config.js';
import { AuditLog, type AuditRequest, verbOf } from './audit/audit.js';
import { anonymousAllowed, Authenticator, ANONYMOUS } from './auth/authenticate.js';
import { ServiceAccountTokens } from './auth/service-account-tokens.js';
import { bootstrapCluster } from './bootstrap.js';
import { AGGREGATED_CONTENT_TYPE, aggregatedDiscovery, apiGroup, apiGroupList, apiResourceList, apiVersions, versionInfo, wantsAggregated } from './discovery/discovery.js';
import { openApiResponse } from './discovery/openapi.js';
import { OPENAPI_V2_PROTOBUF, OPENAPI_V2_PROTOBUF_RESPONSE, openApiV2Protobuf } from './discovery/openapi-v2.js';
import { EtcdClient } from './etcd/etcd-client.js';
import type { ServerDeps } from './handlers/context.js';
import { HealthChecker } from './health.js';
import { decodeBody, mediaType, sendError, sendJson, sendText } from './http/body.js';
import { parseApiPath } from './http/request-info.js';
import { ApiError, errors } from './http/status.js';
import { BUILTIN_RESOURCES } from './registry/builtin-resources.js';
import type { Crd } from './registry/crd-resources.js';
import { ResourceRegistry } from './registry/resource-registry.js';
import { forbiddenMessage, routeResource } from './router.js';
import { IDENTITY_STORAGE, loadEncryptionConfig } from './storage/encryption.js';
import { ObjectStore } from './storage/object-store.js';

export interface ApiServerOptions {
  port?: number;
  bindAddress?: string;
  advertiseAddress?: string;
  /** gitVersion reported by /version, e.g. "v1.35.1". */
  version?: string;
  tls: { certFile: string; keyFile: string; clientCAFile: string };
  etcd: { endpoints: string[]; certFile?: string; keyFile?: string; caFile?: string; prefix?: string; requestTimeoutMs?: number };
  serviceClusterIPRange?: string;
  serviceNodePortRange?: string;
  enableBootstrapTokenAuth?: boolean;
  anonymousAuth?: boolean;
  tokenAuthFile?: string;
  /** Bound service account tokens (--service-account-issuer, -signing-key-file, -key-file, --api-audiences). */
  serviceAccount?: { issuer: string; signingKeyFile?: string; keyFiles?: string[]; apiAudiences?: string[] };
  /** --encryption-provider-config. */
  encryptionProviderConfig?: string;
  /** --audit-policy-file and --audit-log-path. */
  audit?: { policyFile: string; logPath: string };
  /** --enable-admission-plugins and --admission-control-config-file. */
  admission?: { enabled?: string; configFile?: string };
  /**
   * Where the static pod mounts host paths (the kubelet passes them, KUBESIM_MOUNTS): a file a
   * flag names outside all of them does not exist for the real server in its container.
   */
  mounts?: string[];
  /** Request/diagnostic log sink (default: none). */
  log?: (line: string) => void;
}

export interface RunningApiServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

const crdDef = BUILTIN_RESOURCES.find((d) => d.plural === 'customresourcedefinitions')!;
const secretsDef = BUILTIN_RESOURCES.find((d) => d.plural === 'secrets')!;
const serviceAccountsDef = BUILTIN_RESOURCES.find((d) => d.plural === 'serviceaccounts')!;

/** What the server's container sees: a path inside one of the static pod's hostPath mounts. */
function requireMounted(mounts: string[] | undefined, file: string | undefined): void {
  if (!mounts || !file) return;
  if (!mounts.some((m) => file === m || file.startsWith(m.endsWith('/') ? m : `${m}/`))) throw new Error(`open ${file}: no such file or directory (not in any volume of the static pod)`);
}

export async function startApiServer(opts: ApiServerOptions): Promise<RunningApiServer> {
  const log = opts.log ?? (() => {});
  const version = opts.version ?? 'v1.35.1';
  for (const file of [opts.encryptionProviderConfig, opts.audit?.policyFile, opts.audit && path.dirname(opts.audit.logPath), opts.admission?.configFile]) requireMounted(opts.mounts, file);
  // What the real server reads at start, and refuses to start with when it is wrong.
  const transformer = opts.encryptionProviderConfig ? loadEncryptionConfig(opts.encryptionProviderConfig) : IDENTITY_STORAGE;
  const auditLog = opts.audit ? new AuditLog(opts.audit.policyFile, opts.audit.logPath) : undefined;
  const admission = loadAdmission(opts.admission?.enabled, opts.admission?.configFile);
  const etcd = new EtcdClient({ ...opts.etcd, requestTimeoutMs: opts.etcd.requestTimeoutMs });
  const store = new ObjectStore(etcd, opts.etcd.prefix ?? '/registry', transformer);
  const registry = new ResourceRegistry(async () => (await store.list(crdDef)).items as unknown as Crd[]);
  const sa = opts.serviceAccount;
  const saTokens = sa ? new ServiceAccountTokens(sa.issuer, sa.signingKeyFile, sa.keyFiles ?? []) : undefined;
  const apiAudiences = sa?.apiAudiences?.length ? sa.apiAudiences : sa ? [sa.issuer] : [];
  const authenticator = new Authenticator(async (id) => (await store.get(secretsDef, 'kube-system', `bootstrap-token-${id}`))?.object, {
    bootstrapTokens: opts.enableBootstrapTokenAuth ?? false,
    anonymous: opts.anonymousAuth ?? true,
    tokenAuthFile: opts.tokenAuthFile,
    serviceAccounts: saTokens && {
      tokens: saTokens,
      audiences: apiAudiences,
      lookup: async (namespace, name) => (await store.get(serviceAccountsDef, namespace, name))?.object,
    },
  });
  const port = opts.port ?? 6443;
  const advertiseAddress = opts.advertiseAddress ?? defaultAdvertiseAddress(opts.bindAddress);
  const deps: ServerDeps = {
    store,
    registry,
    serviceClusterIPRange: opts.serviceClusterIPRange ?? '10.96.0.0/12',
    serviceNodePortRange: parsePortRange(opts.serviceNodePortRange ?? '30000-32767'),
    advertiseAddress,
    securePort: port,
    rootCAPem: fs.readFileSync(opts.tls.clientCAFile, 'utf8'),
    serviceAccountTokens: saTokens,
    apiAudiences,
    admission,
    async reviewToken(token) {
      const fake = { socket: {}, headers: { authorization: `Bearer ${token}` } } as unknown as IncomingMessage;
      try {
        const u = await authenticator.authenticate(fake);
        return u === ANONYMOUS ? undefined : { username: u.name, groups: u.groups, ...(u.uid ? { uid: u.uid } : {}) };
      } catch {
        return undefined;
      }
    },
  };
  const health = new HealthChecker(etcd);

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'https://apiserver.invalid');
    const method = req.method ?? 'GET';
    let user = ANONYMOUS;
    let parsedPath: ReturnType<typeof parseApiPath> | undefined;
    let responseBody: unknown;
    try {
      const healthAnswer = await health.respond(url.pathname, url.searchParams.has('verbose'));
      if (healthAnswer) {
        sendText(res, healthAnswer.code, healthAnswer.body);
        return;
      }
      user = await authenticator.authenticate(req);
      const parsed = parseApiPath(url.pathname);
      parsedPath = parsed;
      if (user === ANONYMOUS && !anonymousAllowed(method, url.pathname)) {
        throw errors.forbidden(forbiddenMessage(user, method, parsed.type === 'resource' ? parsed.path : undefined, url.pathname));
      }
      if (url.pathname === '/version' || url.pathname === '/version/') return sendJson(res, 200, versionInfo(version));
      if (url.pathname === '/openapi/v2') {
        if (!(req.headers.accept ?? '').includes('protobuf')) throw errors.notAcceptable('application/json is not served for /openapi/v2; ask for ' + OPENAPI_V2_PROTOBUF);
        const body = openApiV2Protobuf(registry);
        res.writeHead(200, { 'content-type': OPENAPI_V2_PROTOBUF_RESPONSE, 'content-length': body.length });
        res.end(body);
        return;
      }
      const openapi = openApiResponse(url.pathname, registry);
      if (openapi) return sendJson(res, openapi.code, openapi.body);
      switch (parsed.type) {
        case 'apiRoot':
          await registry.refreshIfStale();
          if (wantsAggregated(req.headers.accept)) {
            const body = JSON.stringify(aggregatedDiscovery(registry, parsed.legacy));
            res.writeHead(200, { 'content-type': AGGREGATED_CONTENT_TYPE, 'content-length': Buffer.byteLength(body) });
            res.end(body);
            return;
          }
          return sendJson(res, 200, parsed.legacy ? apiVersions(`${advertiseAddress}:${port}`) : apiGroupList(registry));
        case 'group': {
          await registry.refreshIfStale();
          const g = apiGroup(registry, parsed.group);
          if (!g) throw errors.notFoundPath();
          return sendJson(res, 200, g);
        }
        case 'groupVersion': {
          await registry.refreshIfStale();
          const list = apiResourceList(registry, parsed.group, parsed.version);
          if (!list) throw errors.notFoundPath();
          return sendJson(res, 200, list);
        }
        case 'resource': {
          const result = await routeResource(deps, user, parsed.path, req, res, url.searchParams);
          if (result) {
            responseBody = result.body;
            sendJson(res, result.code, result.body);
          }
          return;
        }
        default:
          sendText(res, 404, '404 page not found\n');
      }
    } catch (err) {
      const apiErr = err instanceof ApiError ? err : errors.internal((err as Error).message);
      if (!(err instanceof ApiError)) log(`internal error on ${method} ${url.pathname}: ${(err as Error).stack ?? err}`);
      if (!res.headersSent) sendError(res, apiErr);
      else res.end();
    } finally {
      log(`${method} ${url.pathname}${url.search} ${res.statusCode} ${Date.now() - started}ms user=${user.name}`);
      if (auditLog && user !== ANONYMOUS) {
        try {
          auditLog.record(auditRequest(req, url, method, user, parsedPath, res.statusCode, responseBody, new Date(started)));
        } catch (err) {
          log(`audit: ${(err as Error).message}`);
        }
      }
    }
  };

  const server = https.createServer(
    {
      cert: fs.readFileSync(opts.tls.certFile),
      key: fs.readFileSync(opts.tls.keyFile),
      ca: fs.readFileSync(opts.tls.clientCAFile),
      requestCert: true,
      rejectUnauthorized: false,
    },
    (req, res) => void handle(req, res),
  );
  server.keepAliveTimeout = 65000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, opts.bindAddress ?? '0.0.0.0', () => resolve());
  });
  const actualPort = (server.address() as AddressInfo).port;
  deps.securePort = port === 0 ? actualPort : port;

  // Start-up work waits for etcd (it may come up after us, as with static pods).
  let closed = false;
  const bootstrap = (async () => {
    for (let attempt = 0; !closed; attempt++) {
      try {
        await registry.refresh();
        await bootstrapCluster(deps, deps.rootCAPem);
        health.bootstrapped = true;
        log('bootstrap done');
        return;
      } catch (err) {
        if (attempt % 10 === 0) log(`waiting for etcd: ${(err as Error).message}`);
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  })();

  return {
    port: actualPort,
    url: `https://127.0.0.1:${actualPort}`,
    async close() {
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await bootstrap;
      etcd.close();
    },
  };
}

function auditRequest(req: IncomingMessage, url: URL, method: string, user: { name: string; groups: string[] }, parsed: ReturnType<typeof parseApiPath> | undefined, code: number, responseObject: unknown, received: Date): AuditRequest {
  const p = parsed?.type === 'resource' ? parsed.path : undefined;
  const watch = Boolean(p?.watchPath) || url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1';
  const raw = (req as { kubesimBody?: Buffer }).kubesimBody;
  let requestObject: unknown;
  if (raw && raw.length > 0) {
    // As the handler decoded it (kubectl sends protobuf for creates): the log holds JSON.
    try {
      requestObject = decodeBody(raw, mediaType(req));
    } catch {
      requestObject = undefined;
    }
  }
  return {
    verb: p ? verbOf(method, Boolean(p.name), watch) : method.toLowerCase(),
    requestURI: `${url.pathname}${url.search}`,
    user: { username: user.name, groups: user.groups },
    sourceIPs: [String(req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')],
    userAgent: String(req.headers['user-agent'] ?? ''),
    ...(p
      ? {
          objectRef: {
            resource: p.resource,
            ...(p.subresource ? { subresource: p.subresource } : {}),
            ...(p.namespace ? { namespace: p.namespace } : {}),
            ...(p.name ? { name: p.name } : {}),
            ...(p.group ? { apiGroup: p.group } : {}),
            apiVersion: p.version,
          },
        }
      : {}),
    code,
    requestObject,
    responseObject,
    received,
  };
}

/** Like the real server: the bind address, else the first non-loopback IPv4 address. */
function defaultAdvertiseAddress(bindAddress: string | undefined): string {
  if (bindAddress && bindAddress !== '0.0.0.0' && bindAddress !== '::') return bindAddress;
  for (const addrs of Object.values(os.networkInterfaces())) {
    const v4 = addrs?.find((a) => (a.family === 'IPv4' || (a.family as unknown) === 4) && !a.internal);
    if (v4) return v4.address;
  }
  return '127.0.0.1';
}

function parsePortRange(s: string): [number, number] {
  const m = /^(\d+)-(\d+)$/.exec(s.trim()) ?? /^(\d+)\+(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`invalid service-node-port-range "${s}"`);
  const a = Number(m[1]);
  const b = s.includes('+') ? a + Number(m[2]) : Number(m[2]);
  return [a, b];
}
