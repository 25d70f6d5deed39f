import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'chai';
import yargs from 'yargs';
import type { LoadedCluster } from '../../pkg/api/types.js';
import { loadedCluster } from '../../pkg/addons/testing/fixtures.js';
import { addonsCommand } from './addons.js';

async function run(argv: string[], live = false, loaded?: LoadedCluster): Promise<string> {
  let out = '';
  const cmd = addonsCommand({
    loadCluster: async () => loaded ?? loadedCluster({ features: { metricsServer: { enable: false } } }),
    ...(live ? { liveAddonObjects: async (_loaded, rendered) => ({ rendered, live: [] }) } : {}),
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

  it('refuses a custom addon that reaches for JavaScript through the template (issue 13): nothing runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeone-addons-'));
    const marker = join(dir, 'ran');
    try {
      mkdirSync(join(dir, 'addons', 'evil'), { recursive: true });
      writeFileSync(
        join(dir, 'addons', 'evil', 'x.yaml'),
        `{{ $F := index .Config "constructor" "constructor" }}{{ $g := $F "require('fs').writeFileSync('${marker}', 'x')" }}{{ $g }}\n`,
      );
      const loaded = { ...loadedCluster({ addons: { path: './addons' } }), baseDir: dir, manifestPath: join(dir, 'kubeone.yaml') };
      let err: (Error & { exitCode?: number }) | undefined;
      await run(['addons', 'list'], false, loaded).catch((e: Error) => (err = e));
      expect(err?.message).to.equal(
        `template: ${join(dir, 'addons', 'evil', 'x.yaml')}:1:9: executing "${join(dir, 'addons', 'evil', 'x.yaml')}" at <index .Config "constructor" "constructor">: error calling index: can't index item of type *kubeone.KubeOneCluster`,
      );
      expect(err?.exitCode).to.equal(10);
      expect(existsSync(marker)).to.equal(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
