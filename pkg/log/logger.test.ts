import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import { createLogger } from './logger.js';

async function capture(format: 'text' | 'json', verbose: boolean, fn: (log: ReturnType<typeof createLogger>) => void): Promise<string> {
  const stream = new PassThrough();
  let out = '';
  stream.on('data', (d) => (out += String(d)));
  const log = createLogger({ format, verbose, stream });
  fn(log);
  await new Promise((r) => setImmediate(r));
  return out;
}

describe('createLogger', () => {
  it('writes text lines with level and message, debug only when verbose', async () => {
    const quiet = await capture('text', false, (l) => { l.info('hello'); l.debug('hidden'); });
    expect(quiet).to.match(/^\d\d:\d\d:\d\d INFO  hello\n$/);
    const loud = await capture('text', true, (l) => l.debug('shown', { host: 'cp-1' }));
    expect(loud).to.match(/DEBUG shown host=cp-1/);
  });
  it('writes JSON lines', async () => {
    const out = await capture('json', false, (l) => l.warn('careful', { step: 2 }));
    expect(JSON.parse(out)).to.include({ level: 'warn', message: 'careful', step: 2 });
  });
  it('masks private keys, bearer tokens and bootstrap tokens in messages and metadata', async () => {
    const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----';
    const out = await capture('json', true, (l) => {
      l.info(`key ${pem}`);
      l.info('auth', { header: 'Authorization: Bearer eyJhbGciOiJSUzI1NiJ9.abc.def' });
      l.info('join with abcdef.0123456789abcdef now');
    });
    expect(out).to.not.include('b3BlbnNzaC1rZXktdjEAAAAA');
    expect(out).to.not.include('eyJhbGciOiJSUzI1NiJ9');
    expect(out).to.not.include('abcdef.0123456789abcdef');
    expect(out.match(/\[REDACTED\]/g)).to.have.length(3);
  });
});
