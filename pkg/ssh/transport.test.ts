// SshTransport on a connection that has already ended: ssh2 throws at once instead of calling
// back, and the failure must still be an SshError that names the host.
import { expect } from 'chai';
import { Client } from 'ssh2';

import { Limiter } from './limiter.js';
import { SshTransport } from './transport.js';
import { SshError } from './types.js';

describe('SshTransport on an ended connection', () => {
  // A client that is not connected: ssh2's own 'Not connected', as after keepalives gave up.
  const transport = () => new SshTransport({ host: 'worker-1', client: new Client(), root: false, limiter: new Limiter(4), defaultTimeoutMs: 60_000, onClose: async () => undefined });
  const failure = (p: Promise<unknown>) => p.then(() => expect.fail('resolved'), (error: unknown) => error);

  it('fails a command as unreachable, naming the host', async () => {
    const error = await failure(transport().exec('true'));
    expect(error).to.be.instanceOf(SshError);
    expect((error as SshError).kind).to.equal('unreachable');
    expect((error as SshError).message).to.equal('worker-1: cannot open a command channel: Not connected');
  });

  it('fails a tunnel as unreachable, naming the host', async () => {
    const error = await failure(transport().forwardOut('10.0.0.1', 6443));
    expect(error).to.be.instanceOf(SshError);
    expect((error as SshError).kind).to.equal('unreachable');
    expect((error as SshError).message).to.match(/^worker-1: cannot open a tunnel to 10\.0\.0\.1:6443 from this host: Not connected$/);
  });
});
