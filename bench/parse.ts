// npm run bench -- parse [case...]: time and peak memory to decide on pathological input files
// just under the 4 MiB input limit: manifests (many keys, deep nesting of every kind, long
// strings, many aliases, many documents), a credentials file and a snapshot. Each case runs
// loadCluster (or loadSnapshotFile) in its own child process, so peak RSS is its own.
// Targets: every case decided (accepted or refused with a clear error) in < 2 s and < 300 MB.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { MAX_JSON_VALUES } from '../pkg/api/decode.js';
import { loadCluster } from '../pkg/api/load.js';
import { MAX_INPUT_BYTES, MAX_SNAPSHOT_BYTES } from '../pkg/api/read-input.js';
import { buildSnapshot, loadSnapshotFile, serializeSnapshot } from '../pkg/snapshot/snapshot.js';
import type { SnapshotState } from '../pkg/snapshot/types.js';
import { clusterConfiguration, SnapshotBuilder } from '../pkg/plan/testing/snapshot-builder.js';

const TIME_TARGET_S = 2;
const MEMORY_TARGET_MB = 300;
/** Just under the limit: the worst a file may be and still be read. */
const BUDGET = MAX_INPUT_BYTES - 4096;
const SNAPSHOT_BUDGET = MAX_SNAPSHOT_BYTES - 4096;

const HEADER = `apiVersion: kubeone.k8c.io/v1beta2
kind: KubeOneCluster
name: bench
versions:
  kubernetes: 1.35.1
cloudProvider:
  none: {}
controlPlane:
  hosts:
  - publicAddress: 192.0.2.10
    privateAddress: 10.0.0.10
    sshPrivateKeyFile: /k/id
`;

const WITHOUT_PROVIDER = HEADER.replace('cloudProvider:\n  none: {}\n', '');

/** Repeats `unit(i)` until the budget is used. */
function fill(prefix: string, unit: (i: number) => string, suffix = '', budget = BUDGET): string {
  const parts = [prefix];
  let size = prefix.length + suffix.length;
  for (let i = 0; ; i++) {
    const u = unit(i);
    if (size + u.length > budget) break;
    parts.push(u);
    size += u.length;
  }
  parts.push(suffix);
  return parts.join('');
}

interface Case {
  name: string;
  kind: 'manifest' | 'credentials' | 'snapshot';
  make: () => string;
}

const CASES: Case[] = [
  // Distinct keys in a map the schema accepts: every stage (duplicate detection, positions, schema, validation) sees them.
  { name: 'many-keys', kind: 'manifest', make: () => fill(`${HEADER}addons:\n  globalParams:\n`, (i) => `    k${i}: v\n`) },
  // The same, at the top level: unknown fields, one issue each.
  { name: 'many-unknown-keys', kind: 'manifest', make: () => fill(HEADER, (i) => `k${i}: v\n`) },
  { name: 'duplicate-keys', kind: 'manifest', make: () => fill(`${HEADER}addons:\n  globalParams:\n`, (i) => `    k${i % 1000}: v\n`) },
  { name: 'deep-flow-seq', kind: 'manifest', make: () => { const n = Math.floor((BUDGET - HEADER.length - 20) / 2); return `${HEADER}caBundle: ${'['.repeat(n)}${']'.repeat(n)}\n`; } },
  { name: 'deep-flow-unclosed', kind: 'manifest', make: () => `${HEADER}caBundle: ${'['.repeat(BUDGET - HEADER.length - 20)}\n` },
  { name: 'deep-flow-map', kind: 'manifest', make: () => { const n = Math.floor((BUDGET - HEADER.length - 20) / 5); return `${HEADER}x: ${'{a: '.repeat(n)}1${'}'.repeat(n)}\n`; } },
  { name: 'deep-block-map', kind: 'manifest', make: () => { let s = `${HEADER}addons:\n`; for (let d = 1; s.length < BUDGET - 4096; d++) s += `${' '.repeat(d)}a:\n`; return s; } },
  { name: 'deep-block-seq', kind: 'manifest', make: () => { let s = `${HEADER}x:\n`; for (let d = 0; s.length < BUDGET - 4096; d++) s += `${' '.repeat(d)}-\n`; return s; } },
  { name: 'long-string', kind: 'manifest', make: () => `${WITHOUT_PROVIDER}cloudProvider:\n  none: {}\n  cloudConfig: "${'x'.repeat(BUDGET - HEADER.length - 64)}"\n` },
  { name: 'long-block-scalar', kind: 'manifest', make: () => fill(`${WITHOUT_PROVIDER}cloudProvider:\n  none: {}\n  cloudConfig: |\n`, (i) => `    line ${i} ${'y'.repeat(60)}\n`) },
  { name: 'many-aliases', kind: 'manifest', make: () => fill(`${HEADER}x:\n- &a [1, 2, 3]\n`, () => '- *a\n') },
  { name: 'alias-bomb', kind: 'manifest', make: () => { let s = `${HEADER}a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n`; for (let i = 1; i < 40; i++) s += `a${i}: &a${i} [${Array(10).fill(`*a${i - 1}`).join(', ')}]\n`; return s; } },
  { name: 'many-documents', kind: 'manifest', make: () => fill(HEADER, () => '---\n') },
  { name: 'many-hosts', kind: 'manifest', make: () => fill(`${HEADER}staticWorkers:\n  hosts:\n`, (i) => `  - publicAddress: 172.${16 + ((i >> 16) & 15)}.${(i >> 8) & 255}.${i & 255}\n    sshPrivateKeyFile: /k/id\n`) },
  // A large real cluster must still be accepted.
  { name: 'hosts-5000', kind: 'manifest', make: () => `${HEADER}staticWorkers:\n  hosts:\n${Array.from({ length: 5000 }, (_, i) => `  - publicAddress: 172.16.${i >> 8}.${i & 255}\n    hostname: worker-${i}\n    sshPrivateKeyFile: /k/id\n    labels:\n      zone: z${i % 3}\n`).join('')}` },
  { name: 'binary', kind: 'manifest', make: () => Buffer.alloc(BUDGET, 0xff).toString('latin1') },
  { name: 'credentials-many-keys', kind: 'credentials', make: () => fill('', (i) => `K${i}: v\n`) },
  { name: 'credentials-deep', kind: 'credentials', make: () => `K: ${'['.repeat(BUDGET - 10)}\n` },
  // Snapshots have their own, larger limit (they grow with the fleet).
  { name: 'snapshot-deep', kind: 'snapshot', make: () => { const n = Math.floor((SNAPSHOT_BUDGET - 64) / 2); return `{"formatVersion":1,"state":${'['.repeat(n)}${']'.repeat(n)}}`; } },
  { name: 'snapshot-unknown-keys', kind: 'snapshot', make: () => fill('{"formatVersion":1,"meta":{', (i) => `"k${i}":1,`, '"z":1}}', SNAPSHOT_BUDGET) },
  // Schema-valid and correctly hashed, with one huge map: every stage (parse, schema, hash) runs on all of it.
  { name: 'snapshot-huge-map', kind: 'snapshot', make: () => validSnapshotWithMap((i) => [`c${i}`, '2030-01-01T00:00:00Z']) },
  // As many members as the value budget lets through.
  { name: 'snapshot-max-values', kind: 'snapshot', make: () => validSnapshotWithMap((i) => [i.toString(36), ''], MAX_JSON_VALUES - 100) },
  { name: 'snapshot-5000-hosts', kind: 'snapshot', make: () => realisticSnapshot(5000) },
];

const BASE_HOST = { name: 'cp-1', id: 0, role: 'controlPlane', address: '127.0.0.1:22', privateAddress: '10.0.0.1', reachable: false, error: { kind: 'unreachable', message: 'unreachable' } } as const;
const META = { tool: 'kubeone-ts', probedAt: '2026-11-25T06:00:00.000Z', durationMs: 1 };

function validSnapshotWithMap(entry: (i: number) => [string, string], maxEntries = Infinity): string {
  const certs: Record<string, string> = {};
  const overhead = 1024;
  let size = overhead;
  for (let i = 0; size < SNAPSHOT_BUDGET - 1024 && i < maxEntries; i++) {
    const [k, v] = entry(i);
    certs[k] = v;
    size += k.length + v.length + 20; // serialized with 2-space indentation, 4 levels deep
  }
  const state = { cluster: 'bench', hosts: [{ ...BASE_HOST, certs }], kube: null } as unknown as SnapshotState;
  return serializeSnapshot(buildSnapshot(state, META));
}

/** A converged cluster, as the planner benchmark builds it. */
function realisticSnapshot(hosts: number): string {
  const b = new SnapshotBuilder('bench');
  for (let i = 0; i < hosts; i++) b.convergedHost(`w-${i}`, i < 3 ? 'controlPlane' : 'staticWorker', { version: '1.35.1' });
  b.cluster({ leader: 'w-0', clusterConfiguration: clusterConfiguration() });
  return serializeSnapshot(b.build());
}

interface Result {
  name: string;
  bytes: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMB: number;
  outcome: string;
}

async function measure(c: Case, file: string): Promise<Result> {
  const start = performance.now();
  const cpu = process.cpuUsage();
  let outcome: string;
  try {
    if (c.kind === 'snapshot') await loadSnapshotFile(file);
    else if (c.kind === 'credentials') await loadCluster({ manifestPath: join(fileURLToPath(new URL('.', import.meta.url)), '..', 'docs', 'examples', 'bare-metal.yaml'), credentialsPath: file, env: {} });
    else await loadCluster({ manifestPath: file, env: {} });
    outcome = 'accepted';
  } catch (e) {
    const lines = (e as Error).message.split('\n');
    outcome = `refused: ${lines.slice(0, 2).join(' | ').slice(0, 160)}${lines.length > 2 ? ` (+${lines.length - 2} lines)` : ''}`;
  }
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpu);
  return { name: c.name, bytes: 0, seconds, cpuSeconds: (used.user + used.system) / 1e6, peakRssMB: (process.resourceUsage().maxRSS * 1024) / 2 ** 20, outcome };
}

export async function run(args: string[] = []): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  const selected = args.length ? CASES.filter((c) => args.includes(c.name)) : CASES;
  const dir = mkdtempSync(join(tmpdir(), 'bench-parse-'));
  let failed = false;
  try {
    for (const c of selected) {
      const file = join(dir, `${c.name}.${c.kind === 'snapshot' ? 'json' : 'yaml'}`);
      const text = c.make();
      writeFileSync(file, c.name === 'binary' ? Buffer.from(text, 'latin1') : text);
      const bytes = Buffer.byteLength(text, c.name === 'binary' ? 'latin1' : 'utf8');
      const child = spawnSync(process.execPath, [...process.execArgv, self], {
        env: { ...process.env, BENCH_PARSE_CHILD: c.name, BENCH_PARSE_FILE: file },
        encoding: 'utf8',
        maxBuffer: 64 * 2 ** 20,
        timeout: 120_000,
      });
      let r: Result;
      const last = child.stdout?.trim().split('\n').pop() ?? '';
      if (child.status === 0 && last.startsWith('{')) r = { ...(JSON.parse(last) as Result), bytes };
      else r = { name: c.name, bytes, seconds: NaN, cpuSeconds: NaN, peakRssMB: NaN, outcome: `child failed (status ${child.status}, ${child.signal ?? ''}): ${(child.stderr ?? '').split('\n').slice(0, 3).join(' | ').slice(0, 200)}` };
      // On a shared, overloaded machine wall time measures the neighbours; CPU time measures the decoding.
      const ok = r.cpuSeconds < TIME_TARGET_S && r.peakRssMB < MEMORY_TARGET_MB;
      failed ||= !ok;
      console.log(
        `parse ${r.name.padEnd(22)} bytes=${String(bytes).padStart(8)} time=${r.seconds.toFixed(2)}s cpu=${r.cpuSeconds.toFixed(2)}s peakRSS=${r.peakRssMB.toFixed(0)}MB ${ok ? 'OK' : 'OVER TARGET'} ${r.outcome}`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`(targets < ${TIME_TARGET_S}s of CPU and < ${MEMORY_TARGET_MB}MB peak RSS per case, from reading the file to the decision; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
  if (failed) process.exitCode = 1;
}

const childCase = process.env.BENCH_PARSE_CHILD;
if (childCase && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const c = CASES.find((x) => x.name === childCase)!;
  console.log(JSON.stringify(await measure(c, process.env.BENCH_PARSE_FILE!)));
} else if (!childCase && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run(process.argv.slice(2));
}
