// `npm run bench -- noop`: on a converged 3 control-plane + 2 worker sandbox cluster, the
// time of a no-op `kubeone apply -y` against a bare `kubeone snapshot`, both as their own
// CLI processes, interleaved in the same run. Target: ratio <= 1.1 (a converged apply should
// cost little more than looking).
//   npm run bench -- noop [rounds]     (default 3 rounds; figures are medians)
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

import { startFleet } from '../e2e/fleet/index.js';
import { ensureHostImage } from '../e2e/fleet/setup.js';
import { KUBEONE_BIN, kubeoneExpect } from '../e2e/lifecycle/cli.js';

const seconds = (t: bigint): number => Number(process.hrtime.bigint() - t) / 1e9;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(args: string[]): Promise<void> {
  const rounds = Number(args[0] ?? 3);
  await ensureHostImage();
  const out = await mkdtemp(path.join(os.tmpdir(), 'kubeone-bench-noop-'));
  const fleet = await startFleet({ controlPlanes: 3, workers: 2, name: `bench-noop-${process.pid}` });
  const dir = path.dirname(fleet.manifestPath);
  const m = fleet.manifestPath;
  try {
    const t0 = process.hrtime.bigint();
    await kubeoneExpect(0, ['apply', '-m', m, '-y'], dir);
    console.log(`noop install_s=${seconds(t0).toFixed(1)} (not measured: converging the cluster first) cli=${KUBEONE_BIN}`);
    // Warm-up of both (page cache, SSH host keys recorded).
    await kubeoneExpect(0, ['snapshot', '-m', m, '-o', path.join(out, 'warm.json')], dir);
    await kubeoneExpect(0, ['apply', '-m', m, '-y'], dir);
    const applies: number[] = [];
    const probes: number[] = [];
    for (let i = 0; i < rounds; i++) {
      let t = process.hrtime.bigint();
      await kubeoneExpect(0, ['snapshot', '-m', m, '-o', path.join(out, `s${i}.json`)], dir);
      probes.push(seconds(t));
      t = process.hrtime.bigint();
      const r = await kubeoneExpect(0, ['apply', '-m', m, '-y'], dir);
      applies.push(seconds(t));
      if (i === 0) console.log(`noop apply output: ${r.stdout.trim().split('\n').slice(-1)[0] ?? ''}`);
    }
    const a = median(applies);
    const p = median(probes);
    console.log(`noop apply_s=${a.toFixed(2)} probe_s=${p.toFixed(2)} ratio=${(a / p).toFixed(2)} rounds=${rounds} target<=1.1 ${a / p <= 1.1 ? 'OK' : 'OVER'} (load average ${os.loadavg()[0]!.toFixed(1)})`);
  } finally {
    await fleet.destroy();
    await rm(out, { recursive: true, force: true });
  }
}
