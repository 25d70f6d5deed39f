// npm run bench -- plan: planner time and peak memory on synthetic 5,000-host snapshots
// (converged; one minor behind), every Node with a label and a taint kubeone manages and the
// ownership record naming them, the plan rendered as JSON as `kubeone plan -o json` prints it.
// Targets: the plan and its JSON < 100 ms of CPU (median) and < 200 MB peak RSS, each scenario.
// Each scenario runs in its own child process so peak RSS is not shared between them.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { computePlan } from '../pkg/plan/index.js';
import { applyPlan } from '../pkg/plan/testing/apply-plan.js';
import { clusterConfiguration, desiredState, SnapshotBuilder, addon } from '../pkg/plan/testing/snapshot-builder.js';
import { renderPlanJson } from '../pkg/views/plan-json.js';

const HOSTS = 5000;
const CONTROL_PLANES = 3;
const SCENARIOS = ['converged', 'one-minor-behind'] as const;
type Scenario = (typeof SCENARIOS)[number];
const TIME_TARGET_MS = 100;
const MEMORY_TARGET_MB = 200;

interface Result {
  scenario: Scenario;
  actions: number;
  jsonBytes: number;
  /** CPU of the plan alone and of the plan rendered as JSON, first run and median of 7. */
  firstMs: number;
  medianMs: number;
  medianCpuMs: number;
  firstWithJsonCpuMs: number;
  medianWithJsonMs: number;
  medianWithJsonCpuMs: number;
  /** Peak RSS of the process after one plan, and after it is rendered as JSON. */
  peakRssMB: number;
  peakRssWithJsonMB: number;
  baselineRssMB: number;
  heapGrowthMB: number;
}

export function fixture(scenario: Scenario) {
  const cps = Array.from({ length: CONTROL_PLANES }, (_, i) => `cp-${i + 1}`);
  const workers = Array.from({ length: HOSTS - CONTROL_PLANES }, (_, i) => `w-${String(i + 1).padStart(4, '0')}`);
  const addons = [addon('cni', [{ kind: 'ConfigMap', name: 'cni' }, { kind: 'Deployment', name: 'cni' }])];
  // Every worker has a label and a taint from the manifest: kubeone's ownership record names them all.
  const hostConfig = Object.fromEntries(workers.map((w) => [w, { labels: { pool: 'general' }, taints: [{ key: 'dedicated', value: 'general', effect: 'NoSchedule' }] }]));
  const desired = desiredState({ version: '1.35.1', controlPlanes: cps, workers, addons, hostConfig });
  const build = (live: string) => {
    const b = new SnapshotBuilder('bench');
    for (const h of cps) b.convergedHost(h, 'controlPlane', { version: live });
    for (const h of workers) b.convergedHost(h, 'staticWorker', { version: live, labels: { pool: 'general' } });
    b.cluster({ leader: 'cp-1', clusterConfiguration: clusterConfiguration() }).addonObjects(addons[0]);
    return b.editKube((k) => {
      k.ownership = null;
      for (const n of k.nodes) if (n.name.startsWith('w-')) n.taints = [{ key: 'dedicated', value: 'general', effect: 'NoSchedule' }];
    });
  };
  // The record as the first apply writes it.
  const converged = build('1.35.1').build();
  const { ownership } = applyPlan(computePlan(desired, converged, { now: '2026-11-25T00:00:00Z' }), converged, desired).state.kube!;
  const snapshot = build(scenario === 'converged' ? '1.35.1' : '1.34.3').editKube((k) => (k.ownership = ownership)).build();
  return { desired, snapshot };
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function measure(scenario: Scenario, file: string): Result {
  // Parsed from JSON (as `kubeone plan --snapshot FILE` would), so the builder's garbage is not in the peak.
  const { desired, snapshot } = JSON.parse(readFileSync(file, 'utf8')) as ReturnType<typeof fixture>;
  const options = { now: '2026-11-25T00:00:00Z', workerBatchSize: 10 };
  (globalThis as { gc?: () => void }).gc?.();
  const baseline = process.memoryUsage();
  const cpuMs = (since: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(since);
    return (used.user + used.system) / 1000;
  };
  // Peak memory of one plan and of its JSON, as one `kubeone plan -o json` run computes them once.
  const firstCpu = process.cpuUsage();
  let plan = computePlan(desired, snapshot, options);
  const firstMs = cpuMs(firstCpu);
  const planPeakRssMB = (process.resourceUsage().maxRSS * 1024) / 2 ** 20;
  const heapGrowthMB = (process.memoryUsage().heapUsed - baseline.heapUsed) / 2 ** 20;
  let json = renderPlanJson(plan);
  const firstWithJsonCpuMs = cpuMs(firstCpu);
  const peakRssWithJsonMB = (process.resourceUsage().maxRSS * 1024) / 2 ** 20;
  const jsonBytes = json.length;
  const times: number[] = [];
  const cpuTimes: number[] = [];
  const withJsonTimes: number[] = [];
  const withJsonCpuTimes: number[] = [];
  for (let i = 0; i < 7; i++) {
    const start = performance.now();
    const cpu = process.cpuUsage();
    plan = computePlan(desired, snapshot, options);
    cpuTimes.push(cpuMs(cpu));
    times.push(performance.now() - start);
    json = renderPlanJson(plan);
    withJsonCpuTimes.push(cpuMs(cpu));
    withJsonTimes.push(performance.now() - start);
  }
  return {
    scenario,
    actions: plan.actions.length,
    jsonBytes: json.length === jsonBytes ? jsonBytes : -1,
    firstMs,
    medianMs: median(times),
    medianCpuMs: median(cpuTimes),
    firstWithJsonCpuMs,
    medianWithJsonMs: median(withJsonTimes),
    medianWithJsonCpuMs: median(withJsonCpuTimes),
    peakRssMB: planPeakRssMB,
    peakRssWithJsonMB,
    baselineRssMB: baseline.rss / 2 ** 20,
    heapGrowthMB,
  };
}

export async function run(): Promise<void> {
  const self = fileURLToPath(import.meta.url);
  let failed = false;
  const dir = mkdtempSync(join(tmpdir(), 'bench-plan-'));
  try {
  for (const scenario of SCENARIOS) {
    const file = join(dir, `${scenario}.json`);
    writeFileSync(file, JSON.stringify(fixture(scenario)));
    const child = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', self], {
      env: { ...process.env, BENCH_PLAN_CHILD: scenario, BENCH_PLAN_FIXTURE: file },
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`bench plan ${scenario} failed:\n${child.stderr}`);
    const r = JSON.parse(child.stdout.trim().split('\n').pop()!) as Result;
    // On a shared, overloaded machine wall time measures the neighbours; CPU time measures the planner.
    const ok = r.medianWithJsonCpuMs < TIME_TARGET_MS && r.peakRssWithJsonMB < MEMORY_TARGET_MB;
    failed ||= !ok;
    console.log(
      `plan ${HOSTS} hosts ${r.scenario.padEnd(16)} actions=${String(r.actions).padStart(5)} json_mb=${(r.jsonBytes / 2 ** 20).toFixed(1)} ` +
        `plan+json cpu median=${r.medianWithJsonCpuMs.toFixed(1)}ms (wall ${r.medianWithJsonMs.toFixed(1)}ms, first ${r.firstWithJsonCpuMs.toFixed(1)}ms) ` +
        `plan alone cpu median=${r.medianCpuMs.toFixed(1)}ms (wall ${r.medianMs.toFixed(1)}ms, first ${r.firstMs.toFixed(1)}ms) ` +
        `peakRSS=${r.peakRssWithJsonMB.toFixed(0)}MB with JSON (${r.peakRssMB.toFixed(0)}MB after the plan; fixture baseline ${r.baselineRssMB.toFixed(0)}MB, heap growth of one plan ${r.heapGrowthMB.toFixed(0)}MB) ` +
        `${ok ? 'OK' : `OVER TARGET (<${TIME_TARGET_MS}ms, <${MEMORY_TARGET_MB}MB)`}`,
    );
  }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  console.log(`(pass/fail on the median CPU time of the plan and its JSON, and the peak RSS of one plan rendered as JSON; load average ${loadavg()[0].toFixed(1)} on ${cpus().length} cores)`);
  if (failed) process.exitCode = 1;
}

const childScenario = process.env.BENCH_PLAN_CHILD as Scenario | undefined;
if (childScenario && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(measure(childScenario, process.env.BENCH_PLAN_FIXTURE!)));
} else if (!childScenario && process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await run();
}
