// Hooks of a scenario whose cases share one fleet and build on each other: once a case fails
// the later ones are skipped (their starting state is gone), and the fleet is destroyed at the end.
import type { Fleet } from './fleet.js';

export function scenarioHooks(fleet: () => Fleet | undefined): void {
  let failed = false;
  beforeEach(function () {
    if (failed) this.skip();
  });
  afterEach(function () {
    if (this.currentTest?.state === 'failed') failed = true;
  });
  after(async function () {
    this.timeout(180_000);
    await fleet()?.destroy();
  });
}
