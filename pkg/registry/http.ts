// One HTTP exchange with a registry over node:http(s): a request body from a buffer or a
// stream, the response body as a stream. TLS verification can be turned off per request
// (--insecure); redirects are the caller's business.
import http, { type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import https from 'node:https';
import type { Readable } from 'node:stream';

export interface HttpRequest {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH';
  url: URL;
  headers?: Record<string, string>;
  body?: Buffer | Readable;
  /** Do not verify the server's TLS certificate. */
  insecure?: boolean;
  /** Idle time after which the exchange is abandoned. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: IncomingMessage;
}

export function send(req: HttpRequest): Promise<HttpResponse> {
  const lib = req.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const r = lib.request(
      req.url,
      {
        method: req.method,
        headers: { 'user-agent': 'kubeone', ...req.headers },
        ...(req.url.protocol === 'https:' ? { rejectUnauthorized: !req.insecure } : {}),
      },
      (res) => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: res }),
    );
    r.setTimeout(req.timeoutMs ?? 60_000, () => r.destroy(new Error(`no answer from ${req.url.host} within ${(req.timeoutMs ?? 60_000) / 1000}s`)));
    r.on('error', reject);
    if (req.body === undefined) r.end();
    else if (Buffer.isBuffer(req.body)) r.end(req.body);
    else {
      req.body.on('error', (e) => r.destroy(e));
      req.body.pipe(r);
    }
  });
}

export async function readAll(body: IncomingMessage, limit = 64 * 1024 * 1024): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > limit) {
      body.destroy();
      throw new Error(`response larger than ${limit} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

/** Reads and drops a response body (keeps the connection reusable, frees the socket). */
export function drain(body: IncomingMessage): void {
  body.resume();
}
