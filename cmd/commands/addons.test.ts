import { expect } from 'chai';
import yargs from 'yargs';
import { loadedCluster } from '../../pkg/addons/testing/fixtures.js';
import { addonsCommand } from './addons.js';

async function run(argv: string[], live = false): Promise<string> {
  let out = '';
  const cmd = addonsCommand({
    loadCluster: async () => loadedCluster({ features: { metricsServer: { enable: false } } }),
    ...(live ? { liveAddonObjects: async () => [] } : {}),
    write: (t) => (out += t),
  });
  await yargs(argv).command(cmd).strict().exitProcess(false).fail((msg, err) => {
    throw err ?? new Error(msg);
  }).parseAsync();
  return out;
}

describe('kubeone addons list', () => {
  it('prints a table of addons and statuses', async () => {
    const out = await run(['addons', 'list']);
    expect(out).to.match(/^NAME\s+SOURCE\s+STATUS/);
    expect(out).to.match(/\nmetrics-server\s+embedded\s+inactive\s+0\s+features\.metricsServer\.enable is false\n/);
    expect(out).to.match(/\ncni-canal\s+embedded\s+install\s+16\s+clusterNetwork\.cni\.canal\n/);
  });

  it('prints JSON with -o json', async () => {
    const parsed = JSON.parse(await run(['addons', 'list', '-o', 'json'])) as { addons: { name: string; status: string }[] };
    expect(parsed.addons.find((a) => a.name === 'nodelocaldns')!.status).to.equal('install');
  });

  it('rejects an unknown output format', async () => {
    let err: unknown;
    await run(['addons', 'list', '-o', 'yaml']).catch((e: unknown) => (err = e));
    expect(String(err)).to.contain('Invalid values');
  });

  it('asks the cluster with --live', async () => {
    const parsed = JSON.parse(await run(['addons', 'list', '-o', 'json', '--live'], true)) as { addons: { name: string; status: string }[] };
    expect(parsed.addons.find((a) => a.name === 'cni-canal')!.status).to.equal('install');
  });
});
