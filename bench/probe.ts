// npm run bench -- probe: how long this tool's probe (`kubeone snapshot`) takes for N = 10
// and N = 50 hosts of one sandbox fleet, against `ansible all -m setup` (Debian's ansible,
// default forks, same user, key and inventory) and against the lower bound: one fresh SSH
// connection per host running `true`, all in parallel (ssh2). Every contender runs as its
// own process; each figure is the median of BENCH_RUNS interleaved rounds (default 5) after
// one warm-up. kubeone is the built CLI (dist/cmd/kubeone.js, built when stale), as users run
// it; ansible is Debian's package, installed by hack/install-ansible.sh when missing.
// Targets: N = 10 vs_bound <= 1.5; N = 50 vs_bound <= 1.3 and vs_ansible >= 10.
import { execFileSync, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { build } from 'esbuild';
import { stringify } from 'yaml';

import { type Fleet, startFleet } from '../e2e/fleet/index.js';
import type { FleetHost } from '../e2e/fleet/types.js';
import { renderHostScript } from '../pkg/probe/host-script.js';
import { PROBE_COMMAND } from '../pkg/probe/host-probe.js';
import { builtCli } from './startup.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SIZES = (process.env.BENCH_SIZES ?? '10,50').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 5);

/** Seconds a command takes, failing loudly when it fails. */
function timed(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(command, args, { env, cwd: REPO, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code === 0) resolve(seconds);
      else reject(new Error(`${path.basename(command)} ${args[0]?.slice(0, 60)} exited ${code}: ${stderr.slice(-800)}`));
    });
  });
}

/**
 * Runs every contender once to warm up (known_hosts recorded, page cache warm), then RUNS
 * rounds in which each contender runs once, interleaved so that they share the machine's
 * conditions (it is shared with other work); returns each contender's median.
 */
async function medians<K extends string>(contenders: Record<K, () => Promise<number>>): Promise<Record<K, number>> {
  const names = Object.keys(contenders) as K[];
  for (const name of names) await contenders[name]();
  const times = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < RUNS; i++) for (const name of names) times[name].push(await contenders[name]());
  return Object.fromEntries(names.map((n) => [n, times[n].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!])) as Record<K, number>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Freshly booted hosts keep the CPUs busy for a while after they accept SSH: wait for calm. */
async function settle(): Promise<void> {
  const deadline = Date.now() + 120_000;
  await sleep(15_000);
  while (Date.now() < deadline && os.loadavg()[0] > os.cpus().length * 2) await sleep(5_000);
}

// The lower bound, as its own node process: connect to every host at once, run `true`, disconnect.
// It declines the host-key proof as kubeone does (pkg/ssh/host-keys-proof.ts, built beside it):
// otherwise the hosts would sign for the bound what they no longer sign for kubeone, and the
// bound would not be one.
const BOUND_SCRIPT = `
import { readFileSync } from 'node:fs';
import ssh2 from 'ssh2';
const { declineHostKeysProof } = await import(process.env.BOUND_HELPER);
const hosts = JSON.parse(process.argv[1]);
const keys = new Map();
const keyOf = (file) => keys.get(file) ?? keys.set(file, readFileSync(file)).get(file);
await Promise.all(hosts.map((h) => new Promise((resolve, reject) => {
  const c = new ssh2.Client();
  c.on('ready', () => c.exec(process.env.BOUND_COMMAND ?? 'true', (err, ch) => {
    if (err) return reject(err);
    ch.on('close', () => { c.end(); resolve(); }).resume();
    ch.end(process.env.BOUND_STDIN ?? '');
  })).on('error', reject).connect({ host: h.sshAddress, port: h.sshPort, username: h.user, privateKey: keyOf(h.keyPath) });
  declineHostKeysProof(c);
})));
`;

function manifestFor(name: string, hosts: FleetHost[]): string {
  const entry = (h: FleetHost) => ({ publicAddress: h.sshAddress, sshPort: h.sshPort, privateAddress: h.privateAddress, hostname: h.containerName, sshUsername: h.user, sshPrivateKeyFile: h.keyPath, sshAgentSocket: '' });
  return stringify({
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    name,
    versions: { kubernetes: '1.35.1' },
    cloudProvider: { none: {} },
    controlPlane: { hosts: [entry(hosts[0]!)] },
    staticWorkers: { hosts: hosts.slice(1).map(entry) },
  });
}

function inventoryFor(hosts: FleetHost[]): string {
  const lines = hosts.map((h, i) => `h${i} ansible_host=${h.sshAddress} ansible_port=${h.sshPort} ansible_user=${h.user} ansible_ssh_private_key_file=${h.keyPath}`);
  return `[all]\n${lines.join('\n')}\n\n[all:vars]\nansible_python_interpreter=/usr/bin/python3\n`;
}

/** startFleet allows at most 20 hosts per role: several fleets make up one bench fleet. */
async function startBenchFleets(total: number): Promise<Fleet[]> {
  const fleets: Fleet[] = [];
  try {
    for (let left = total, i = 0; left > 0; i++) {
      const size = Math.min(left, 20);
      fleets.push(await startFleet({ controlPlanes: 1, workers: size - 1, name: `bench-probe-${process.pid}-${i}`, readyTimeoutMs: 300_000 }));
      left -= size;
    }
    return fleets;
  } catch (error) {
    await Promise.all(fleets.map((f) => f.destroy()));
    throw error;
  }
}

export async function run(): Promise<void> {
  execFileSync('bash', [path.join(REPO, 'hack', 'install-ansible.sh')], { stdio: 'inherit' });
  const cli = builtCli();
  const dir = await mkdtemp(path.join(os.tmpdir(), 'kubeone-bench-probe-'));
  const boundHelper = path.join(dir, 'host-keys-proof.mjs');
  await build({ entryPoints: [path.join(REPO, 'pkg', 'ssh', 'host-keys-proof.ts')], outfile: boundHelper, format: 'esm', platform: 'node', logLevel: 'warning' });
  const started = Date.now();
  const fleets = await startBenchFleets(Math.max(...SIZES));
  console.error(`bench probe: ${fleets.reduce((n, f) => n + f.hosts.length, 0)} hosts up in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  await settle();
  console.error(`bench probe: load average ${os.loadavg()[0]!.toFixed(1)} at the start of the measurements`);
  try {
    const all = fleets.flatMap((f) => f.hosts);
    for (const n of SIZES) {
      const hosts = all.slice(0, n);
      const sub = path.join(dir, `n${n}`);
      await mkdir(sub, { recursive: true });
      const manifest = path.join(sub, 'kubeone.yaml');
      const inventory = path.join(sub, 'inventory.ini');
      await writeFile(manifest, manifestFor(`bench-${n}`, hosts));
      await writeFile(inventory, inventoryFor(hosts));

      const ansibleEnv = { ...process.env, ANSIBLE_HOST_KEY_CHECKING: 'False', ANSIBLE_NOCOLOR: '1', ANSIBLE_LOCAL_TEMP: path.join(sub, 'ansible-tmp') };
      // The same connections running the probe's own command (sudo and the host script, as
      // kubeone sends it to these hosts, which the manifest names: no hostname -f): what the
      // hosts' side costs, apart from our process.
      const boundEnv = { ...process.env, BOUND_HELPER: boundHelper };
      const probeEnv = { ...boundEnv, BOUND_COMMAND: `sudo -n ${PROBE_COMMAND}`, BOUND_STDIN: renderHostScript({ detectFqdn: false }) };
      const { kubeone, ansible, bound, boundScript } = await medians({
        kubeone: () => timed(process.execPath, [cli, 'snapshot', '-m', manifest, '-o', path.join(sub, 'snapshot.json')]),
        ansible: () => timed('ansible', ['all', '-i', inventory, '-m', 'setup'], ansibleEnv),
        bound: () => timed(process.execPath, ['--input-type=module', '-e', BOUND_SCRIPT, JSON.stringify(hosts)], boundEnv),
        boundScript: () => timed(process.execPath, ['--input-type=module', '-e', BOUND_SCRIPT, JSON.stringify(hosts)], probeEnv),
      });
      console.log(
        `probe hosts=${n} kubeone_s=${kubeone.toFixed(2)} ansible_s=${ansible.toFixed(2)} bound_s=${bound.toFixed(2)} vs_ansible=${(ansible / kubeone).toFixed(1)} vs_bound=${(kubeone / bound).toFixed(2)} ` +
          `bound_script_s=${boundScript.toFixed(2)} vs_bound_script=${(kubeone / boundScript).toFixed(2)}`,
      );
    }
  } finally {
    await Promise.all(fleets.map((f) => f.destroy()));
    await rm(dir, { recursive: true, force: true });
  }
}
