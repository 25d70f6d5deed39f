// The dashboard's HTTP server (node:http). Every request passes the guards first (Host
// header, token; Origin and the form's token on POST), then GET pages read and POST actions
// change, each answered with a redirect to the page to look at next. Nothing is served that
// this process did not render.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { allowedHosts, cookieName, cookieValue, hostAllowed, isNamespaceName, isObjectName, originAllowed, tokenCookie, tokenMatches } from './guard.js';
import type { Overview, PodRow } from './model.js';
import { errorPage, overviewPage, podsPage } from './render.js';

/** What the pages read and the actions change (pkg/ui/kube-backend.ts over the API). */
export interface UiBackend {
  overview(): Promise<Overview>;
  pods(node: string): Promise<PodRow[]>;
  scale(namespace: string, name: string, direction: 'up' | 'down'): Promise<void>;
  rollout(namespace: string, name: string): Promise<void>;
  deleteMachine(namespace: string, name: string): Promise<void>;
  deletePod(namespace: string, name: string): Promise<void>;
}

export interface UiServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  token: string;
  clusterName: string;
  backend: UiBackend;
  /** Failed requests, for the command's log. */
  log?: (message: string) => void;
}

export interface UiServer {
  /** The URL to open, token included. */
  url: string;
  port: number;
  close(): Promise<void>;
}

/** A refusal or failure with the HTTP status it is answered with. */
export class UiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'referrer-policy': 'no-referrer',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
};

const MAX_FORM_BYTES = 16 * 1024;

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  if (!/^application\/x-www-form-urlencoded(;|$)/i.test(req.headers['content-type'] ?? '')) throw new UiError(415, 'expected a form (application/x-www-form-urlencoded)');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new UiError(413, 'form too large');
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/** A form field that must be a single value of the given shape. */
function field(form: URLSearchParams, name: string, valid: (v: unknown) => boolean, what: string): string {
  const values = form.getAll(name);
  if (values.length !== 1 || !valid(values[0])) throw new UiError(400, `${name}: expected one ${what}`);
  return values[0]!;
}

const objectName = (form: URLSearchParams, name: string) => field(form, name, isObjectName, 'object name (DNS-1123 subdomain)');
const namespace = (form: URLSearchParams) => field(form, 'namespace', isNamespaceName, 'namespace name (DNS-1123 label)');

/** An API failure as the page shows it: the API's status and message, never its headers. */
export function apiFailure(error: unknown, what: string): UiError {
  if (error instanceof UiError) return error;
  const e = error as { code?: unknown; body?: unknown; message?: unknown };
  if (typeof e?.code === 'number' && e.code >= 400 && e.code < 600) {
    let message = '';
    try {
      const body = typeof e.body === 'string' ? (JSON.parse(e.body) as { message?: unknown }) : (e.body as { message?: unknown });
      if (typeof body?.message === 'string') message = body.message;
    } catch {
      // not a Status object
    }
    return new UiError(e.code === 404 || e.code === 409 || e.code === 422 ? e.code : 502, `${what}: ${message || `the API answered ${e.code}`}`);
  }
  return new UiError(502, `${what}: ${e instanceof Error ? e.message : String(error)}`);
}

export async function startUiServer(options: UiServerOptions): Promise<UiServer> {
  const { backend, token } = options;
  let allowed = new Set<string>();
  let port = options.port;

  const send = (res: ServerResponse, status: number, body: string, extra: Record<string, string> = {}) => {
    res.writeHead(status, { ...HEADERS, ...extra });
    res.end(body);
  };
  const redirect = (res: ServerResponse, location: string, extra: Record<string, string> = {}) => send(res, 303, '', { location, ...extra });

  async function post(path: string, form: URLSearchParams): Promise<string> {
    switch (path) {
      case '/scale': {
        const direction = field(form, 'direction', (v) => v === 'up' || v === 'down', '"up" or "down"') as 'up' | 'down';
        const [ns, name] = [namespace(form), objectName(form, 'name')];
        await backend.scale(ns, name, direction).catch((e: unknown) => Promise.reject(apiFailure(e, `scaling MachineDeployment ${ns}/${name}`)));
        return '/';
      }
      case '/rollout': {
        const [ns, name] = [namespace(form), objectName(form, 'name')];
        await backend.rollout(ns, name).catch((e: unknown) => Promise.reject(apiFailure(e, `restarting MachineDeployment ${ns}/${name}`)));
        return '/';
      }
      case '/delete-machine': {
        const [ns, name] = [namespace(form), objectName(form, 'name')];
        await backend.deleteMachine(ns, name).catch((e: unknown) => Promise.reject(apiFailure(e, `deleting Machine ${ns}/${name}`)));
        return '/';
      }
      case '/delete-pod': {
        const [ns, name, node] = [namespace(form), objectName(form, 'name'), objectName(form, 'node')];
        await backend.deletePod(ns, name).catch((e: unknown) => Promise.reject(apiFailure(e, `deleting Pod ${ns}/${name}`)));
        return `/pods?node=${encodeURIComponent(node)}`;
      }
      default:
        throw new UiError(404, 'no such action');
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // DNS rebinding: a page under another name may not talk to this server at all.
    if (!hostAllowed(allowed, req.headers.host)) throw new UiError(403, 'unexpected Host header');
    const url = new URL(req.url ?? '/', 'http://ui.invalid');
    const cookie = cookieValue(req.headers.cookie, cookieName(port));
    if (req.method === 'GET') {
      const query = url.searchParams.get('token');
      if (query !== null) {
        if (!tokenMatches(token, query)) throw new UiError(401, 'wrong token: open the URL `kubeone ui` printed');
        // The token moves to a cookie and out of the address bar (and the browser history).
        url.searchParams.delete('token');
        return redirect(res, url.pathname + url.search, { 'set-cookie': tokenCookie(port, token) });
      }
      if (!tokenMatches(token, cookie)) throw new UiError(401, 'no token: open the URL `kubeone ui` printed');
      if (url.pathname === '/') {
        const overview = await backend.overview().catch((e: unknown) => Promise.reject(apiFailure(e, 'reading the cluster')));
        return send(res, 200, overviewPage(overview, token, options.clusterName));
      }
      if (url.pathname === '/pods') {
        const node = url.searchParams.getAll('node');
        if (node.length !== 1 || !isObjectName(node[0])) throw new UiError(400, 'node: expected one Node name (DNS-1123 subdomain)');
        const pods = await backend.pods(node[0]).catch((e: unknown) => Promise.reject(apiFailure(e, `listing the pods of ${node[0]}`)));
        return send(res, 200, podsPage(node[0], pods, token));
      }
      throw new UiError(404, 'no such page');
    }
    if (req.method === 'POST') {
      if (!originAllowed(allowed, req.headers as { origin?: string; 'sec-fetch-site'?: string })) throw new UiError(403, 'cross-site request refused');
      const form = await readForm(req);
      // The form's own token: a forged form cannot know it, whatever the browser sends along.
      if (!tokenMatches(token, form.get('token'))) throw new UiError(401, 'no token: open the URL `kubeone ui` printed');
      return redirect(res, await post(url.pathname, form));
    }
    throw new UiError(405, 'method not allowed');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const e = error instanceof UiError ? error : new UiError(500, error instanceof Error ? error.message : String(error));
      if (e.status >= 500 || e.status === 409 || e.status === 404) options.log?.(`${req.method} ${(req.url ?? '').split('?')[0]}: ${e.message}`);
      if (!res.headersSent) send(res, e.status, errorPage(e.status, e.message), e.status === 405 ? { allow: 'GET, POST' } : {});
      else res.destroy();
    });
  });
  server.headersTimeout = 10_000;
  server.requestTimeout = 60_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  allowed = allowedHosts(options.host, port);
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
