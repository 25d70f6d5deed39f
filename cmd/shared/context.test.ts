import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { CliContext } from './context.js';
import type { GlobalArgs } from './global-flags.js';

describe('CliContext: everything a command writes is masked by the secrets of its manifest', () => {
  it('stdout, stderr and the logger mask credentials, env: params and their encodings', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ctx-'));
    try {
      const manifest = join(dir, 'kubeone.yaml');
      writeFileSync(manifest, 'apiVersion: kubeone.k8c.io/v1beta2\nkind: KubeOneCluster\nname: demo\nversions: {kubernetes: 1.35.1}\ncloudProvider: {none: {}}\ncontrolPlane:\n  hosts:\n  - {publicAddress: 192.0.2.10, sshPrivateKeyFile: /k/id}\naddons:\n  globalParams:\n    dbUrl: env:DB_URL\n');
      const creds = join(dir, 'credentials.yaml');
      writeFileSync(creds, 'OS_PASSWORD: "0s-Pa55w0rd!"\n');
      const [stdout, stderr] = [new PassThrough(), new PassThrough()];
      const written = { out: '', err: '' };
      stdout.on('data', (d) => (written.out += String(d)));
      stderr.on('data', (d) => (written.err += String(d)));
      const ctx = new CliContext({ stdout, stderr, env: { DB_URL: 'postgres://app:db-s3cret@db:5432/app' } });
      const argv = { manifest, credentials: creds, verbose: false, debug: false, 'log-format': 'text' } as unknown as GlobalArgs;
      await ctx.loadCluster(argv);
      ctx.print(`password 0s-Pa55w0rd! ${Buffer.from('x:0s-Pa55w0rd!').toString('base64')} ${JSON.stringify('postgres://app:db-s3cret@db:5432/app')}`);
      ctx.logger(argv).info('connecting to postgres://app:db-s3cret@db:5432/app with 0s-Pa55w0rd%21');
      await new Promise((r) => setImmediate(r));
      const { out, err } = written;
      for (const text of [out, err]) {
        expect(text, text).to.not.include('0s-Pa55w0rd').and.not.include('db-s3cret').and.not.include('MHMtUGE1NXcwcmQh');
      }
      expect(out).to.include('[REDACTED]');
      expect(err).to.include('[REDACTED]');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
