// A thin kubectl for the hosts: version, get, apply -f, delete, cluster-info.
// Resources are resolved through API discovery; "get" prints the server's Table.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { exitAfterFlush, FlagError, flagBool, flagList, flagString, parseArgs, type FlagKind } from '../common/flags.js';
import { KubeClient, type KubeObject } from '../common/kube-client.js';
import { loadKubeconfig } from '../common/kubeconfig.js';
import { bakedVersion, parseVersion } from '../common/versions.js';

const S: FlagKind = 'string';
const B: FlagKind = 'bool';
const L: FlagKind = 'list';
const FLAGS: Record<string, FlagKind> = {
  kubeconfig: S, namespace: S, 'all-namespaces': B, output: S, selector: L, filename: L, client: B, 'field-selector': S,
  v: S, 'ignore-not-found': B, wait: B, force: B, 'grace-period': S, 'server-side': B, 'field-manager': S, 'force-conflicts': B,
  'request-timeout': S, context: S, 'show-labels': B, 'no-headers': B, 'dry-run': S, validate: S, recursive: B, all: B,
};
const SHORT = { n: 'namespace', A: 'all-namespaces', o: 'output', l: 'selector', f: 'filename', v: 'v' };

interface Resource {
  name: string;
  namespaced: boolean;
  kind: string;
  groupVersion: string;
  shortNames: string[];
  singular: string;
}

function kubeconfigPath(flag?: string): string {
  if (flag) return flag;
  if (process.env.KUBECONFIG) return process.env.KUBECONFIG.split(':')[0]!;
  return path.join(os.homedir(), '.kube', 'config');
}

async function discover(client: KubeClient): Promise<Resource[]> {
  const out: Resource[] = [];
  const add = (gv: string, list: KubeObject): void => {
    for (const r of list.resources ?? []) {
      if (String(r.name).includes('/')) continue;
      out.push({ name: r.name, namespaced: r.namespaced, kind: r.kind, groupVersion: gv, shortNames: r.shortNames ?? [], singular: r.singularName || String(r.kind).toLowerCase() });
    }
  };
  add('v1', await client.list('/api/v1'));
  const groups = (await client.list('/apis')).groups ?? [];
  await Promise.all(
    groups.map(async (g: KubeObject) => {
      const gv = g.preferredVersion?.groupVersion;
      if (gv) add(gv, await client.list(`/apis/${gv}`));
    }),
  );
  return out;
}

function resolve(resources: Resource[], what: string): Resource {
  const [name, group] = what.toLowerCase().split(/\.(.*)/s) as [string, string | undefined];
  const match = resources.filter((r) => (r.name === name || r.singular === name || r.shortNames.includes(name) || r.kind.toLowerCase() === name) && (!group || r.groupVersion.startsWith(group)));
  if (!match.length) throw new Error(`the server doesn't have a resource type "${what}"`);
  return match.find((r) => r.groupVersion === 'v1' || !r.groupVersion.includes('.k8s.io') || true)!;
}

function basePath(r: Resource, ns: string | undefined): string {
  const prefix = r.groupVersion === 'v1' ? '/api/v1' : `/apis/${r.groupVersion}`;
  return r.namespaced && ns ? `${prefix}/namespaces/${ns}/${r.name}` : `${prefix}/${r.name}`;
}

function age(ts: string | undefined): string {
  if (!ts) return '<unknown>';
  const s = Math.max(0, Math.floor((Date.now() - Date.parse(ts)) / 1000));
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.floor(s / 60)}m`;
  if (s < 172800) return `${Math.floor(s / 3600)}h`;
  return `${Math.floor(s / 86400)}d`;
}

function printTable(table: KubeObject, withNamespace: boolean, wide: boolean, noHeaders: boolean): void {
  const cols = (table.columnDefinitions ?? []) as KubeObject[];
  const keep = cols.map((c, i) => [c, i] as const).filter(([c]) => wide || !c.priority);
  const rows: string[][] = [];
  if (!noHeaders) rows.push([...(withNamespace ? ['NAMESPACE'] : []), ...keep.map(([c]) => String(c.name).toUpperCase())]);
  for (const row of table.rows ?? []) {
    const cells = keep.map(([c, i]) => {
      const v = row.cells?.[i];
      if (typeof v === 'string' && (c.format === 'date-time' || c.name === 'Age') && !Number.isNaN(Date.parse(v))) return age(v);
      return v === undefined || v === null || v === '' ? '<none>' : String(v);
    });
    rows.push([...(withNamespace ? [row.object?.metadata?.namespace ?? ''] : []), ...cells]);
  }
  if (!table.rows?.length) {
    process.stderr.write('No resources found\n');
    return;
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  for (const r of rows) process.stdout.write(r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]! + 3))).join('') + '\n');
}

function dump(obj: unknown, output: string): void {
  if (output === 'json') process.stdout.write(JSON.stringify(obj, null, 4) + '\n');
  else process.stdout.write(stringify(obj));
}

async function cmdGet(client: KubeClient, a: ReturnType<typeof parseArgs>, ns: string): Promise<number> {
  const [what, ...names] = a.positional;
  if (!what) throw new Error('You must specify the type of resource to get.');
  const resources = await discover(client);
  const r = resolve(resources, what);
  const all = flagBool(a, 'all-namespaces');
  const output = flagString(a, 'output') ?? '';
  if (!['', 'wide', 'yaml', 'json', 'name'].includes(output)) throw new Error(`error: unable to match a printer suitable for the output format "${output}", allowed formats are: json,name,wide,yaml`);
  const base = basePath(r, all ? undefined : ns);
  const query = new URLSearchParams();
  if (flagList(a, 'selector').length) query.set('labelSelector', flagList(a, 'selector').join(','));
  if (flagString(a, 'field-selector')) query.set('fieldSelector', flagString(a, 'field-selector')!);
  if (names.length) {
    for (const n of names) {
      const obj = await client.get(`${base}/${n}`);
      if (!obj) {
        if (flagBool(a, 'ignore-not-found')) continue;
        process.stderr.write(`Error from server (NotFound): ${r.name} "${n}" not found\n`);
        return 1;
      }
      if (output === 'yaml' || output === 'json') dump(obj, output);
      else if (output === 'name') process.stdout.write(`${r.singular}/${n}\n`);
      else {
        const table = await tableOf(client, base, `fieldSelector=metadata.name%3D${encodeURIComponent(n)}`);
        printTable(table, false, output === 'wide', flagBool(a, 'no-headers'));
      }
    }
    return 0;
  }
  if (output === 'yaml' || output === 'json') {
    const list = await client.list(`${base}?${query}`);
    dump({ apiVersion: 'v1', kind: 'List', items: (list.items ?? []).map((i: KubeObject) => ({ apiVersion: r.groupVersion, kind: r.kind, ...i })), metadata: { resourceVersion: '' } }, output);
    return 0;
  }
  if (output === 'name') {
    const list = await client.list(`${base}?${query}`);
    for (const i of list.items ?? []) process.stdout.write(`${r.singular}/${i.metadata.name}\n`);
    return 0;
  }
  const table = await tableOf(client, base, query.toString());
  printTable(table, all && r.namespaced, output === 'wide', flagBool(a, 'no-headers'));
  return 0;
}

async function tableOf(client: KubeClient, base: string, query: string): Promise<KubeObject> {
  const res = await client.request('GET', `${base}${query ? `?${query}` : ''}`, undefined, undefined, 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json');
  if (res.status >= 400) throw new Error(`Error from server: ${res.body?.message ?? res.text}`);
  return res.body;
}

function readManifests(files: string[]): KubeObject[] {
  const objs: KubeObject[] = [];
  for (const f of files) {
    const text = f === '-' ? fs.readFileSync(0, 'utf8') : fs.readFileSync(f, 'utf8');
    for (const doc of parseAllDocuments(text)) {
      const v = doc.toJS() as KubeObject | null;
      if (!v) continue;
      if (v.kind === 'List') objs.push(...(v.items ?? []));
      else objs.push(v);
    }
  }
  return objs;
}

async function cmdApply(client: KubeClient, a: ReturnType<typeof parseArgs>, ns: string): Promise<number> {
  const files = flagList(a, 'filename');
  if (!files.length) throw new Error('error: must specify one of -f and -k');
  const resources = await discover(client);
  for (const obj of readManifests(files)) {
    const r = resources.find((x) => x.kind === obj.kind && x.groupVersion === obj.apiVersion) ?? resolve(resources, obj.kind);
    const namespace = r.namespaced ? obj.metadata?.namespace ?? ns : undefined;
    if (namespace && obj.metadata) obj.metadata.namespace = namespace;
    const base = basePath(r, namespace);
    const name = obj.metadata?.name;
    const res = await client.request('PATCH', `${base}/${name}?fieldManager=kubectl&force=true`, JSON.stringify(obj), 'application/apply-patch+yaml');
    if (res.status >= 400) throw new Error(`Error from server: ${res.body?.message ?? res.text}`);
    const created = res.status === 201;
    process.stdout.write(`${r.singular}${r.groupVersion.includes('/') ? '.' + r.groupVersion.split('/')[0] : ''}/${name} ${created ? 'created' : 'configured'}\n`);
  }
  return 0;
}

async function cmdDelete(client: KubeClient, a: ReturnType<typeof parseArgs>, ns: string): Promise<number> {
  const resources = await discover(client);
  const targets: Array<{ r: Resource; name: string; ns?: string }> = [];
  if (flagList(a, 'filename').length) {
    for (const obj of readManifests(flagList(a, 'filename'))) {
      const r = resolve(resources, obj.kind);
      targets.push({ r, name: obj.metadata.name, ns: obj.metadata.namespace ?? ns });
    }
  } else {
    const [what, ...rest] = a.positional;
    if (!what) throw new Error('error: You must provide one or more resources by argument or filename.');
    const pairs = what.includes('/') ? [what, ...rest] : rest.map((n) => `${what}/${n}`);
    for (const pair of pairs) {
      const [type, name] = pair.split('/') as [string, string];
      targets.push({ r: resolve(resources, type), name, ns });
    }
  }
  let rc = 0;
  for (const t of targets) {
    const ok = await client.delete(`${basePath(t.r, t.ns)}/${t.name}`);
    if (ok) process.stdout.write(`${t.r.singular} "${t.name}" deleted\n`);
    else if (!flagBool(a, 'ignore-not-found')) {
      process.stderr.write(`Error from server (NotFound): ${t.r.name} "${t.name}" not found\n`);
      rc = 1;
    }
  }
  return rc;
}

async function main(argv: string[]): Promise<number> {
  const a = parseArgs(argv, FLAGS, SHORT);
  const [cmd, ...rest] = a.positional;
  a.positional = rest;
  const client = (): KubeClient => new KubeClient(loadKubeconfig(kubeconfigPath(flagString(a, 'kubeconfig'))), `kubectl/${bakedVersion()} (linux/amd64) kubernetes/sim`);
  const ns = flagString(a, 'namespace') ?? 'default';
  switch (cmd) {
    case 'version': {
      const v = bakedVersion();
      const sv = parseVersion(v)!;
      const info = { major: String(sv.major), minor: String(sv.minor), gitVersion: v, platform: 'linux/amd64' };
      if (flagBool(a, 'client')) {
        const o = flagString(a, 'output');
        if (o === 'json') process.stdout.write(JSON.stringify({ clientVersion: info, kustomizeVersion: 'v5.7.1' }, null, 2) + '\n');
        else process.stdout.write(`Client Version: ${v}\nKustomize Version: v5.7.1\n`);
        return 0;
      }
      const c = client();
      try {
        const server = (await c.get('/version')) ?? {};
        if (flagString(a, 'output') === 'json') process.stdout.write(JSON.stringify({ clientVersion: info, kustomizeVersion: 'v5.7.1', serverVersion: server }, null, 2) + '\n');
        else process.stdout.write(`Client Version: ${v}\nKustomize Version: v5.7.1\nServer Version: ${server.gitVersion}\n`);
      } finally {
        c.close();
      }
      return 0;
    }
    case 'get':
    case 'apply':
    case 'delete':
    case 'cluster-info': {
      const c = client();
      try {
        if (cmd === 'get') return await cmdGet(c, a, ns);
        if (cmd === 'apply') return await cmdApply(c, a, ns);
        if (cmd === 'delete') return await cmdDelete(c, a, ns);
        process.stdout.write(`Kubernetes control plane is running at ${c.config.server}\n`);
        return 0;
      } finally {
        c.close();
      }
    }
    default:
      process.stderr.write(`error: unknown command "${cmd ?? ''}" for "kubectl"\n(the simulator's kubectl supports: version, get, apply, delete, cluster-info)\n`);
      return 1;
  }
}

main(process.argv.slice(2))
  .then((code) => exitAfterFlush(code))
  .catch((err: Error) => {
    if (err instanceof FlagError) process.stderr.write(`error: ${err.message}\nSee 'kubectl --help' for usage.\n`);
    else process.stderr.write(`${err.message.startsWith('error') || err.message.startsWith('Error') ? '' : 'error: '}${err.message}\n`);
    exitAfterFlush(1);
  });
