import { expect } from 'chai';
import net, { type AddressInfo } from 'node:net';
import { parseConnectTarget, parseListenAddress, startConnectProxy } from './connect-proxy.js';

/** Sends `request` to the proxy and collects what comes back until `until` matches or the socket ends. */
function exchange(port: number, request: string, until: RegExp, then?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const s = net.connect(port, '127.0.0.1', () => s.write(request));
    let got = '';
    let sent = false;
    s.on('data', (d) => {
      got += String(d);
      if (then && !sent && got.includes('\r\n\r\n')) {
        sent = true;
        s.write(then);
      }
      if (until.test(got)) {
        s.destroy();
        resolve(got);
      }
    });
    s.on('end', () => resolve(got));
    s.on('error', reject);
  });
}

describe('proxy: CONNECT tunnels through the dial function', () => {
  it('tunnels bytes both ways to the target the client names; refuses other methods; a failed dial is a 503', async () => {
    const echo = net.createServer((s) => s.on('data', (d) => s.write(`echo:${String(d)}`)));
    await new Promise<void>((r) => echo.listen(0, '127.0.0.1', r));
    const echoPort = (echo.address() as AddressInfo).port;
    const dialled: string[] = [];
    const logged: string[] = [];
    const proxy = await startConnectProxy({
      listen: { host: '127.0.0.1', port: 0 },
      log: (m) => logged.push(m),
      dial: async (host, port) => {
        dialled.push(`${host}:${port}`);
        if (host === 'down.example') throw new Error('cp-1: cannot open a tunnel to down.example:6443');
        return net.connect(echoPort, '127.0.0.1');
      },
    });
    try {
      const tunnelled = await exchange(proxy.address.port, 'CONNECT api.example:6443 HTTP/1.1\r\nHost: api.example:6443\r\n\r\n', /echo:ping/, 'ping');
      expect(tunnelled).to.match(/^HTTP\/1\.1 200 Connection Established\r\n\r\n/);
      expect(tunnelled).to.contain('echo:ping');
      expect(dialled).to.deep.equal(['api.example:6443']);

      expect(await exchange(proxy.address.port, 'GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', /only tunnels/)).to.match(/^HTTP\/1\.1 405/);
      expect(await exchange(proxy.address.port, 'CONNECT down.example:6443 HTTP/1.1\r\n\r\n', /cannot open/)).to.match(/^HTTP\/1\.1 503/);
      expect(logged.join('\n')).to.contain('down.example');
      expect(await exchange(proxy.address.port, 'CONNECT nonsense HTTP/1.1\r\n\r\n', /host:port/)).to.match(/^HTTP\/1\.1 400/);
      expect(dialled).to.have.length(2);
    } finally {
      await proxy.close();
      echo.close();
    }
  });

  it('listen addresses as Go writes them; CONNECT targets', () => {
    expect(parseListenAddress('127.0.0.1:8888')).to.deep.equal({ host: '127.0.0.1', port: 8888 });
    expect(parseListenAddress('[::1]:0')).to.deep.equal({ host: '::1', port: 0 });
    expect(parseListenAddress(':8888')).to.deep.equal({ host: '', port: 8888 });
    expect(() => parseListenAddress('8888')).to.throw(/host:port/);
    expect(() => parseListenAddress('proxy.example:8888')).to.throw(/IP address or localhost/);
    expect(parseConnectTarget('[fd00::1]:6443')).to.deep.equal({ host: 'fd00::1', port: 6443 });
    expect(parseConnectTarget('api.example:0')).to.equal(null);
    expect(parseConnectTarget('a b:1')).to.equal(null);
  });
});
