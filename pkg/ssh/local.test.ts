import { expect } from 'chai';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LocalTransport } from './local.js';
import { SshError } from './types.js';

describe('LocalTransport (kubeone local): the SSH transport\'s contract on this machine', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kubeone-local-'));
  const t = new LocalTransport('here', { root: process.getuid?.() === 0 });

  it('runs commands through bash -c with stdin; a non-zero exit is a result, not an error', async () => {
    expect(await t.exec('read x; echo "got $x"; echo err >&2; exit 3', { stdin: 'hello\n' })).to.deep.equal({ code: 3, stdout: 'got hello\n', stderr: 'err\n' });
    expect((await t.exec('[[ -n "$BASH_VERSION" ]] && echo bash')).stdout).to.equal('bash\n');
  });

  it('a command past its timeout is killed with what it started, as a timeout error', async () => {
    const marker = join(dir, 'survived');
    const started = Date.now();
    const error = await t.exec(`(sleep 2; touch ${marker}) & sleep 30`, { timeoutMs: 300 }).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SshError).and.include({ kind: 'timeout', host: 'here' });
    expect(Date.now() - started).to.be.lessThan(5_000);
    await new Promise((r) => setTimeout(r, 2_500));
    expect(() => statSync(marker)).to.throw();
  });

  it('writes files atomically with their mode, uploads and reads them; relative paths are refused', async function () {
    if (process.getuid?.() !== 0) this.skip();
    const target = join(dir, 'sub', 'file.conf');
    await t.writeFile(target, 'a=1\n', { mode: 0o600 });
    expect(readFileSync(target, 'utf8')).to.equal('a=1\n');
    expect(statSync(target).mode & 0o777).to.equal(0o600);
    const src = join(dir, 'src.bin');
    writeFileSync(src, Buffer.alloc(300_000, 7));
    await t.upload(src, join(dir, 'copy.bin'));
    expect((await t.readFile(join(dir, 'copy.bin'))).equals(readFileSync(src))).to.equal(true);
    const error = await t.writeFile('relative/x', 'y').catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SshError).and.have.property('message').that.matches(/refusing to write a relative path/);
    const missing = await t.readFile(join(dir, 'missing')).catch((e: unknown) => e);
    expect(missing).to.be.instanceOf(SshError).and.include({ kind: 'commandFailed' });
  });

  it('forwardOut is a plain TCP connection; a closed port is "unreachable"', async () => {
    const server = net.createServer((s) => s.end('pong'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as net.AddressInfo;
    try {
      const socket = await t.forwardOut('127.0.0.1', port);
      const data = await new Promise<string>((r) => {
        let got = '';
        socket.on('data', (d) => (got += d)).on('end', () => r(got));
      });
      expect(data).to.equal('pong');
    } finally {
      await new Promise((r) => server.close(r));
    }
    const error = await t.forwardOut('127.0.0.1', port).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(SshError).and.include({ kind: 'unreachable' });
  });
});
