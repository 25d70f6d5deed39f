// `npm run sandbox -- up|down|status`: a persistent fleet for the demo and for
// trying the product by hand. Containers outlive this process; `down` removes
// every container and the network the fleet made.
import path from 'node:path';

import yargs from 'yargs';
import { hideBin } from 'yargs/helpers';

import { realHelm } from '../../pkg/helm/testing/real-helm.js';
import { docker, listByLabels } from './docker.js';
import { Fleet, FLEET_STATE_FILE } from './fleet.js';
import { removeNetwork } from './network.js';
import { ensureDocker, ensureHostImage } from './setup.js';
import { startFleet } from './start-fleet.js';
import { LABEL_FLEET, type FleetHost } from './types.js';

// npm runs scripts from the package root; paths on the command line are the user's.
const userCwd = process.env.INIT_CWD ?? process.cwd();
const resolveDir = (dir: string) => path.resolve(userCwd, dir);
/** Short form of a path for commands the user copies: relative when below the cwd. */
const shown = (file: string) => {
  const rel = path.relative(userCwd, file);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
};

/** Default fleet name from the dir: `.sandbox` -> `sandbox`, `/x/My Demo` -> `my-demo`. */
function nameFromDir(dir: string): string {
  const name = path.basename(dir).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return name || 'sandbox';
}

function sshCommand(fleet: Fleet, host: FleetHost): string {
  const key = shown(fleet.keyPath);
  const opts = '-o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null';
  if (host.sshPort !== undefined) return `ssh -i ${key} ${opts} -p ${host.sshPort} ${host.user}@${host.sshAddress}`;
  const bastion = fleet.bastion!;
  const jump = `ssh -i ${key} ${opts} -W %h:%p -p ${bastion.sshPort} ${bastion.user}@${bastion.sshAddress}`;
  return `ssh -i ${key} ${opts} -o ProxyCommand='${jump}' ${host.user}@${host.privateAddress}`;
}

async function containerStates(fleet: Fleet): Promise<Map<string, string>> {
  const states = new Map<string, string>();
  for (const host of fleet.hosts) {
    const state = await docker(['inspect', '--format', '{{.State.Status}}', host.containerId]).catch(() => 'missing');
    states.set(host.name, state);
  }
  return states;
}

async function describe(fleet: Fleet, headline: string): Promise<void> {
  const states = await containerStates(fleet);
  const rows = fleet.hosts.map((h) => [h.name, h.role, h.privateAddress, h.sshPort ? `127.0.0.1:${h.sshPort}` : 'via bastion', states.get(h.name) ?? '']);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((r) => r[i].length), 8));
  const line = (r: string[]) => `  ${r.map((c, i) => (i < 4 ? c.padEnd(widths[i]) : c)).join('  ')}`.trimEnd();
  const example = fleet.controlPlanes[0];
  console.log(headline);
  console.log(line(['host', 'role', 'address', 'ssh', 'state']));
  for (const row of rows) console.log(line(row));
  console.log(`manifest:  ${fleet.manifestPath}`);
  console.log(`ssh key:   ${fleet.keyPath}`);
  console.log(`next:      npx kubeone plan -m ${shown(fleet.manifestPath)}`);
  console.log(`helm:      ${realHelm()} (for helmReleases: --helm-binary, or put it on PATH)`);
  console.log(`ssh:       ${sshCommand(fleet, example)}`);
  console.log(`teardown:  npm run sandbox -- down --dir ${shown(fleet.dir)}`);
}

async function up(args: { controlPlanes: number; workers: number; bastion: boolean; dir: string; name?: string; kubernetesVersion?: string }) {
  const dir = resolveDir(args.dir);
  console.error('sandbox: checking Docker (hack/ensure-docker.sh)');
  await ensureDocker(false);
  console.error('sandbox: checking the host image (hack/build-host-image.sh)');
  await ensureHostImage(false);
  const existing = await Fleet.attach(dir).catch(() => undefined);
  if (existing) {
    const states = await containerStates(existing);
    if ([...states.values()].every((s) => s === 'running')) {
      await describe(existing, `sandbox: fleet "${existing.name}" is already up (${path.join(dir, FLEET_STATE_FILE)})`);
      return;
    }
    throw new Error(`the fleet recorded in ${path.join(dir, FLEET_STATE_FILE)} is not fully running (${[...states].map(([h, s]) => `${h}: ${s}`).join(', ')}); run: npm run sandbox -- down --dir ${shown(dir)}`);
  }
  const started = Date.now();
  const fleet = await startFleet({
    controlPlanes: args.controlPlanes,
    workers: args.workers,
    bastion: args.bastion,
    dir,
    name: args.name ?? nameFromDir(dir),
    kubernetesVersion: args.kubernetesVersion,
    persistent: true,
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const shape = `${fleet.controlPlanes.length} control plane(s), ${fleet.workers.length} worker(s)${fleet.bastion ? ', 1 bastion' : ''}`;
  await describe(fleet, `sandbox: fleet "${fleet.name}" is up in ${seconds} s: ${shape}`);
}

async function down(args: { dir: string; name?: string }) {
  const dir = resolveDir(args.dir);
  const fleet = await Fleet.attach(dir).catch(() => undefined);
  if (fleet) {
    await fleet.destroy();
    console.log(`sandbox: fleet "${fleet.name}" removed (${fleet.hosts.length} containers, network ${fleet.network.name})`);
    return;
  }
  // No fleet.json (deleted by hand?): fall back to the Docker labels of the name.
  const name = args.name ?? nameFromDir(dir);
  const containers = await listByLabels('container', { [LABEL_FLEET]: name });
  if (containers.length > 0) await docker(['rm', '-f', '-v', ...containers]);
  const networks = await listByLabels('network', { [LABEL_FLEET]: name });
  for (const id of networks) await removeNetwork(id);
  console.log(`sandbox: no ${FLEET_STATE_FILE} in ${dir}; removed ${containers.length} container(s) and ${networks.length} network(s) labelled ${LABEL_FLEET}=${name}`);
}

async function status(args: { dir: string }) {
  const fleet = await Fleet.attach(resolveDir(args.dir));
  await describe(fleet, `sandbox: fleet "${fleet.name}"`);
}

const dirOption = { type: 'string', default: '.sandbox', describe: 'fleet directory (kubeone.yaml, key, fleet.json)' } as const;

await yargs(hideBin(process.argv))
  .scriptName('npm run sandbox --')
  .command(
    'up',
    'start a persistent fleet and write DIR/kubeone.yaml',
    (y) =>
      y
        .option('control-planes', { type: 'number', default: 3 })
        .option('workers', { type: 'number', default: 2 })
        .option('bastion', { type: 'boolean', default: false, describe: 'only a bastion publishes SSH' })
        .option('dir', dirOption)
        .option('name', { type: 'string', describe: 'fleet and cluster name (default: from the dir)' })
        .option('kubernetes-version', { type: 'string', describe: 'versions.kubernetes (default 1.34.3)' }),
    (argv) => up(argv),
  )
  .command('down', 'remove the fleet of DIR', (y) => y.option('dir', dirOption).option('name', { type: 'string' }), (argv) => down(argv))
  .command('status', 'show the fleet of DIR', (y) => y.option('dir', dirOption), (argv) => status(argv))
  .demandCommand(1)
  .strict()
  .fail((message, error, y) => {
    console.error(error ? `sandbox: ${error.message}` : `${message}\n\n${y.help()}`);
    process.exit(1);
  })
  .parseAsync();
