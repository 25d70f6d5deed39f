// Two runs at once against the same cluster: the second fails fast and names the holder;
// the first is not disturbed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { type FleetLike, fakeBundle, startTestFleet } from './helpers.js';

const RUNNER = fileURLToPath(new URL('./run-host-plan.ts', import.meta.url));

function start(manifest: string, bundle: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, manifest, bundle, '1.35.1'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const done = new Promise<{ code: number | null; out: string; ms: number }>((resolve) => {
    const t0 = Date.now();
    child.on('close', (code) => resolve({ code, out, ms: Date.now() - t0 }));
  });
  return { output: () => out, done };
}

describe('executor: two runs at once', function () {
  this.timeout(600_000);
  let fleet: FleetLike;
  before(async () => {
    fleet = await startTestFleet(1, 1);
  });
  after(async () => {
    await fleet?.destroy();
  });

  it('the second fails fast naming the lock holder; the first completes', async () => {
    const bundle = fakeBundle('1.35.1');
    const first = start(fleet.manifestPath, bundle);
    // The first holds the lock once it starts its first step.
    while (!first.output().includes('"step-started"')) await new Promise((r) => setTimeout(r, 100));
    const second = await start(fleet.manifestPath, bundle).done;
    expect(second.code).to.not.equal(0);
    expect(second.out).to.match(/cluster is locked on cp-1 by \S+@\S+ \(pid \d+, "run-host-plan"/);
    expect(second.out).to.contain('lock id');
    const done = await first.done;
    expect(done.code, done.out).to.equal(0);
  });
});
