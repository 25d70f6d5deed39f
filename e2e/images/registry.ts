// Local registries for the e2e tests: Debian's docker-registry (the distribution project's
// registry) serving plain HTTP on 127.0.0.1, with its storage in a temp dir; and images seeded
// into them with `docker import` + `docker push` (the Docker engine treats 127.0.0.0/8 as an
// insecure registry, so no TLS is needed).
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { freeLocalPort } from '../fleet/host-container.js';

const run = promisify(execFile);

export interface LocalRegistry {
  /** 127.0.0.1:port */
  address: string;
  stop(): Promise<void>;
}

export async function startRegistry(): Promise<LocalRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeone-registry-'));
  const port = await freeLocalPort();
  const address = `127.0.0.1:${port}`;
  const config = path.join(dir, 'config.yml');
  writeFileSync(config, ['version: 0.1', 'log: { level: warn }', 'storage:', `  filesystem: { rootdirectory: ${path.join(dir, 'data')} }`, '  delete: { enabled: true }', 'http:', `  addr: ${address}`, ''].join('\n'));
  const child: ChildProcess = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d));
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(`http://${address}/v2/`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`docker-registry did not start on ${address}: ${stderr.slice(-2000)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    address,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill('SIGKILL');
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Builds a one-file image with `docker import` (nothing is pulled), pushes it as `image`
 * and removes it from the engine again. The file /content holds `content`.
 */
export async function seedImage(image: string, content: string): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeone-seed-'));
  try {
    writeFileSync(path.join(dir, 'content'), content);
    await run('sh', ['-c', `tar -C "$1" -cf - content | docker import --change 'CMD ["/content"]' - "$2" >/dev/null`, 'sh', dir, image]);
    await run('docker', ['push', '-q', image]);
  } finally {
    await run('docker', ['rmi', '-f', image]).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The digest a registry serves for image:tag (HEAD, as a plain HTTP client asks). */
export async function registryDigest(address: string, repository: string, tag: string): Promise<string | undefined> {
  const accept = [
    'application/vnd.oci.image.index.v1+json',
    'application/vnd.docker.distribution.manifest.list.v2+json',
    'application/vnd.oci.image.manifest.v1+json',
    'application/vnd.docker.distribution.manifest.v2+json',
  ].join(', ');
  const res = await fetch(`http://${address}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept } });
  return res.status === 200 ? (res.headers.get('docker-content-digest') ?? undefined) : undefined;
}

/**
 * A registry that wants credentials: an HTTP front on 127.0.0.1 answering 401 with a Basic
 * challenge unless the request carries `user:password`, forwarding the rest to `upstream`
 * unchanged (Host included, so upload locations point back at the front).
 */
export async function startAuthFront(upstream: LocalRegistry, user: string, password: string): Promise<LocalRegistry> {
  const expected = `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
  const [host, port] = upstream.address.split(':') as [string, string];
  const server = http.createServer((req, res) => {
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'www-authenticate': 'Basic realm="kubeone-e2e"', 'content-type': 'application/json' });
      res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
      req.resume();
      return;
    }
    const forward = http.request({ host, port: Number(port), method: req.method, path: req.url, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.destroy());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    address,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
