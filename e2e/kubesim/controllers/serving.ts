// HTTPS health endpoints of kube-controller-manager / kube-scheduler, served
// with an in-memory self-signed certificate like the real components make.
import * as https from 'node:https';
import * as os from 'node:os';
import { createCertificate, generateKey, privateKeyPem, toPem } from '../pki/x509.js';

export function serveHealth(bindAddress: string, port: number, name: string, healthy: () => boolean): https.Server {
  const key = generateKey('ECDSA-P256');
  const now = Date.now();
  const cert = createCertificate(
    {
      subject: { commonName: `${bindAddress}@${Math.floor(now / 1000)}` },
      publicKey: key.publicKey,
      notBefore: new Date(now - 3_600_000),
      notAfter: new Date(now + 365 * 24 * 3_600_000),
      usages: ['server'],
      dnsNames: ['localhost', os.hostname()],
      ips: [bindAddress === '0.0.0.0' ? '127.0.0.1' : bindAddress],
    },
    { selfKey: key.privateKey },
  );
  const server = https.createServer({ cert: toPem('CERTIFICATE', cert), key: privateKeyPem(key.privateKey) }, (req, res) => {
    const p = (req.url ?? '/').split('?')[0]!;
    if (['/healthz', '/livez', '/readyz'].includes(p)) {
      const ok = healthy();
      res.writeHead(ok ? 200 : 500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(ok ? 'ok' : `[-]${name} failed\nhealthz check failed`);
      return;
    }
    res.writeHead(403, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message: `forbidden: User "system:anonymous" cannot get path "${p}"`, reason: 'Forbidden', code: 403 }));
  });
  server.on('error', (err) => {
    process.stderr.write(`${name}: failed to listen on ${bindAddress}:${port}: ${err.message}\n`);
    process.exit(1);
  });
  server.listen(port, bindAddress);
  return server;
}
