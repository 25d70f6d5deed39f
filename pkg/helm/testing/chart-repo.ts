// A chart repository on 127.0.0.1 for tests, made the way a user makes one: `helm create`,
// `helm package`, `helm repo index`, served over HTTP (optionally behind basic auth). Every
// chart also gets a ConfigMap that shows the values it was installed with.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, normalize } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ChartRepo {
  url: string;
  dir: string;
  /** Paths requested, in order (a test can tell whether helm asked). */
  requests: string[];
  /** `helm create` + a ConfigMap template, packaged at `version` and indexed. */
  addChart(name: string, version: string, opts?: { appVersion?: string; withDeployment?: boolean }): Promise<void>;
  close(): Promise<void>;
}

const CONFIGMAP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "CHART.fullname" . }}-settings
  labels:
    {{- include "CHART.labels" . | nindent 4 }}
data:
  greeting: {{ .Values.greeting | default "hello" | quote }}
  replicas: {{ .Values.replicaCount | quote }}
`;

export async function startChartRepo(helm: string, opts: { auth?: { username: string; password: string } } = {}): Promise<ChartRepo> {
  const dir = mkdtempSync(join(tmpdir(), 'kubeone-chart-repo-'));
  const work = mkdtempSync(join(tmpdir(), 'kubeone-chart-src-'));
  const requests: string[] = [];
  const expected = opts.auth ? `Basic ${Buffer.from(`${opts.auth.username}:${opts.auth.password}`).toString('base64')}` : undefined;
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    requests.push(path);
    if (expected && req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="charts"' }).end('unauthorized');
      return;
    }
    const file = normalize(join(dir, path));
    try {
      if (!file.startsWith(dir) || !statSync(file).isFile()) throw new Error('not a file');
      res.writeHead(200).end(readFileSync(file));
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    dir,
    requests,
    async addChart(name, version, o = {}) {
      // helm create names the chart after its directory.
      const src = join(work, version, name);
      rmSync(src, { recursive: true, force: true });
      mkdirSync(join(work, version), { recursive: true });
      await run(helm, ['create', src]);
      const chartYaml = join(src, 'Chart.yaml');
      writeFileSync(
        chartYaml,
        readFileSync(chartYaml, 'utf8')
          .replace(/^version: .*$/m, `version: ${version}`)
          .replace(/^appVersion: .*$/m, `appVersion: "${o.appVersion ?? version}"`),
      );
      writeFileSync(join(src, 'templates', 'settings.yaml'), CONFIGMAP.replaceAll('CHART', name));
      if (o.withDeployment === false) for (const f of ['deployment.yaml', 'hpa.yaml']) rmSync(join(src, 'templates', f), { force: true });
      rmSync(join(src, 'templates', 'tests'), { recursive: true, force: true });
      await run(helm, ['package', src, '--destination', dir]);
      await run(helm, ['repo', 'index', dir, '--url', url]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          rmSync(work, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

/** A port on 127.0.0.1 nothing listens on: a chart repository that does not answer. */
export function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createTcpServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
