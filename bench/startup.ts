// npm run bench -- startup: whole-process cost of the built CLI (dist/cmd/kubeone.js, what the
// `kubeone` bin runs) for commands that touch no host, against `node -e 0` measured in the
// same run as the floor. Each figure is the median of BENCH_RUNS (default 7) interleaved
// rounds after one warm-up; wall and CPU (user + system) come from bash's `time`, peak RSS
// from GNU time when installed. Targets: version <= 2.5x the floor, config validate <= 5x.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SnapshotBuilder } from '../pkg/plan/testing/snapshot-builder.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CLI = path.join(REPO, 'dist', 'cmd', 'kubeone.js');
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
const TARGETS: Record<string, number> = { version: 2.5, 'config-validate': 5 };

interface Sample {
  wallMs: number;
  cpuMs: number;
  rssMB: number | null;
}

function newestSource(dir: string): number {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, e) => {
    const p = path.join(dir, e.name);
    return Math.max(newest, e.isDirectory() ? newestSource(p) : e.name.endsWith('.ts') ? statSync(p).mtimeMs : 0);
  }, 0);
}

/** dist/cmd/kubeone.js, built first when missing or older than a source file: the figures are of the code as it is. */
export function builtCli(): string {
  const built = existsSync(CLI) ? statSync(CLI).mtimeMs : 0;
  if (built > Math.max(newestSource(path.join(REPO, 'cmd')), newestSource(path.join(REPO, 'pkg')))) return CLI;
  console.error('bench: dist is missing or older than the sources, running npm run build');
  execFileSync('npm', ['run', 'build'], { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  return CLI;
}

/** One run of `argv`: bash's `time` (ms resolution) around GNU time (peak RSS) around the command. */
function measure(argv: string[]): Sample {
  const inner = TIME ? [TIME, '-f', 'KUBEONE_BENCH_RSS_KB=%M', ...argv] : argv;
  const res = spawnSync('bash', ['-c', 'TIMEFORMAT="KUBEONE_BENCH_TIME=%3R %3U %3S"; time "$@" >/dev/null', 'bash', ...inner], { cwd: REPO, encoding: 'utf8' });
  const times = /KUBEONE_BENCH_TIME=([\d.]+) ([\d.]+) ([\d.]+)/.exec(res.stderr);
  const rss = /KUBEONE_BENCH_RSS_KB=(\d+)/.exec(res.stderr);
  if (res.status !== 0 || !times || /Command exited with non-zero status/.test(res.stderr)) {
    throw new Error(`${argv.join(' ')} failed (exit ${res.status}): ${res.stderr.slice(-800)}`);
  }
  return { wallMs: Number(times[1]) * 1000, cpuMs: (Number(times[2]) + Number(times[3])) * 1000, rssMB: rss ? Number(rss[1]) / 1024 : null };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** A 50-host cluster (3 control planes) not installed yet, as a manifest and a saved snapshot of it. */
export function planFixture(dir: string): { manifest: string; snapshot: string } {
  const names = [...['cp-1', 'cp-2', 'cp-3'], ...Array.from({ length: 47 }, (_, i) => `w-${i + 1}`)];
  const host = (name: string, i: number) =>
    `    - { publicAddress: 192.0.2.${i + 1}, privateAddress: 10.0.0.${i + 1}, hostname: ${name}, sshUsername: ops, sshPrivateKeyFile: /nonexistent }`;
  const lines = names.map(host);
  const manifest = ['apiVersion: kubeone.k8c.io/v1beta2', 'kind: KubeOneCluster', 'name: bench', 'versions: { kubernetes: 1.35.1 }', 'cloudProvider: { none: {} }'];
  manifest.push('controlPlane:', '  hosts:', ...lines.slice(0, 3), 'staticWorkers:', '  hosts:', ...lines.slice(3), '');
  const builder = new SnapshotBuilder('bench');
  names.forEach((name, i) => builder.host(name, i < 3 ? 'controlPlane' : 'staticWorker'));
  writeFileSync(path.join(dir, 'bench.yaml'), manifest.join('\n'));
  writeFileSync(path.join(dir, 'bench.snapshot.json'), JSON.stringify(builder.build()));
  return { manifest: path.join(dir, 'bench.yaml'), snapshot: path.join(dir, 'bench.snapshot.json') };
}

export async function run(): Promise<void> {
  builtCli();
  const dir = mkdtempSync(path.join(tmpdir(), 'kubeone-bench-startup-'));
  try {
    const fifty = planFixture(dir);
    const node = process.execPath;
    const contenders: Record<string, string[]> = {
      floor: [node, '-e', '0'],
      version: [node, CLI, 'version'],
      'config-validate': [node, CLI, 'config', 'validate', '-m', path.join(REPO, 'docs/examples/bare-metal.yaml')],
      'plan-snapshot-50': [node, CLI, 'plan', '-m', fifty.manifest, '--snapshot', fifty.snapshot, '-o', 'json'],
    };
    const names = Object.keys(contenders);
    const samples = Object.fromEntries(names.map((n) => [n, [] as Sample[]]));
    const loadBefore = loadavg()[0]!;
    for (const n of names) measure(contenders[n]!);
    for (let i = 0; i < RUNS; i++) for (const n of names) samples[n]!.push(measure(contenders[n]!));
    const figure = (n: string) => ({
      wall: median(samples[n]!.map((s) => s.wallMs)),
      cpu: median(samples[n]!.map((s) => s.cpuMs)),
      rss: TIME ? median(samples[n]!.map((s) => s.rssMB!)) : null,
    });
    const floor = figure('floor');
    for (const n of names) {
      const f = figure(n);
      const ratio = f.wall / floor.wall;
      const target = TARGETS[n];
      const verdict = target === undefined ? '' : ` target<=${target} ${ratio <= target ? 'OK' : 'MISSED'}`;
      console.log(
        `startup ${n.padEnd(16)} wall_ms=${f.wall.toFixed(0).padStart(5)} cpu_ms=${f.cpu.toFixed(0).padStart(5)}${f.rss === null ? '' : ` rss_mb=${f.rss.toFixed(0).padStart(4)}`}` +
          (n === 'floor' ? '' : ` ratio=${ratio.toFixed(2)} cpu_ratio=${(f.cpu / floor.cpu).toFixed(2)}${verdict}`),
      );
    }
    console.log(`(medians of ${RUNS} interleaved rounds; ratio = wall / wall of node -e 0; load average ${loadBefore.toFixed(1)} -> ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
