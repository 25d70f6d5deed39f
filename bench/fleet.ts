// How long a 5-host fleet takes, image warm, from startFleet() until every host
// accepts an SSH login with the fleet key. Target: under 15 s.
import { startFleet } from '../e2e/fleet/index.js';
import { ensureHostImage } from '../e2e/fleet/setup.js';

export async function run(): Promise<void> {
  await ensureHostImage(); // warm image: the build is not what is measured
  const started = process.hrtime.bigint();
  const fleet = await startFleet({ controlPlanes: 3, workers: 2, name: `bench-${process.pid}` });
  const readySeconds = Number(process.hrtime.bigint() - started) / 1e9;
  try {
    console.log(`fleet hosts=${fleet.hosts.length} ready_s=${readySeconds.toFixed(2)}`);
  } finally {
    const t = process.hrtime.bigint();
    await fleet.destroy();
    console.log(`fleet teardown_s=${(Number(process.hrtime.bigint() - t) / 1e9).toFixed(2)}`);
  }
}
