// Two runs at once against the same cluster: the second fails fast and names the holder;
// the first is not disturbed.
import { fileURLToPath } from 'node:url';
import { expect } from 'chai';
import { fakeBundle, startRunner, useFleet } from './helpers.js';

const RUNNER = fileURLToPath(new URL('./run-host-plan.ts', import.meta.url));

describe('executor: two runs at once', function () {
  this.timeout(600_000);
  const fleet = useFleet({ controlPlanes: 1, workers: 1 });

  it('the second fails fast naming the lock holder; the first completes', async () => {
    const bundle = fakeBundle('1.35.1');
    const first = startRunner(RUNNER, [fleet().manifestPath, bundle, '1.35.1']);
    // The first holds the lock once it starts its first step.
    while (!first.output().includes('"step-started"')) await new Promise((r) => setTimeout(r, 100));
    const second = await startRunner(RUNNER, [fleet().manifestPath, bundle, '1.35.1']).done;
    expect(second.code).to.not.equal(0);
    expect(second.out).to.match(/cluster is locked on cp-1 by \S+@\S+ \(pid \d+, "run-host-plan"/);
    expect(second.out).to.contain('lock id');
    const done = await first.done;
    expect(done.code, done.out).to.equal(0);
  });
});
