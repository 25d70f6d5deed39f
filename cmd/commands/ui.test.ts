import { expect } from 'chai';
import { checkListenFlags } from './ui.js';

describe('kubeone ui flags', () => {
  it('listens on loopback by default; localhost means 127.0.0.1; another IP of this machine is allowed', () => {
    expect(checkListenFlags('127.0.0.1', 8080)).to.deep.equal({ host: '127.0.0.1', port: 8080 });
    expect(checkListenFlags('localhost', 0)).to.deep.equal({ host: '127.0.0.1', port: 0 });
    expect(checkListenFlags('10.0.0.5', 9000)).to.deep.equal({ host: '10.0.0.5', port: 9000 });
    expect(checkListenFlags('::1', 9000)).to.deep.equal({ host: '::1', port: 9000 });
  });

  it('refuses wildcard addresses, names and bad ports with exit code 1', () => {
    for (const [address, port] of [['0.0.0.0', 8080], ['::', 8080], ['0:0:0:0:0:0:0:0', 8080], ['example.com', 8080], ['', 8080], ['127.0.0.1', 65536], ['127.0.0.1', -1], ['127.0.0.1', 80.5], ['127.0.0.1', NaN]] as const) {
      expect(() => checkListenFlags(address, port), `${address} ${port}`).to.throw().with.property('exitCode', 1);
    }
  });
});
