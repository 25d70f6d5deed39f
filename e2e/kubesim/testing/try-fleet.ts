// Developer helper: start a small fleet with the simulator installed and leave
// it running (npx tsx e2e/kubesim/testing/try-fleet.ts [cps] [workers] [version]).
import { startFleet } from '../../fleet/index.js';
import { buildKubesim } from '../build.js';
import { prepareHost } from './install.js';

const [cps = '1', workers = '0', version = '1.35.1'] = process.argv.slice(2);
await buildKubesim();
const fleet = await startFleet({ controlPlanes: Number(cps), workers: Number(workers), persistent: true, dir: '/tmp/kubesim-try', image: process.env.KUBEONE_HOST_IMAGE });
await Promise.all(fleet.hosts.map((h) => prepareHost(fleet, h, version)));
for (const h of fleet.hosts) console.log(`${h.name} ${h.privateAddress} ${h.containerName}`);
console.log(`fleet dir: ${fleet.dir}  (remove: npx tsx e2e/fleet/sandbox-cli.ts down --dir ${fleet.dir})`);
