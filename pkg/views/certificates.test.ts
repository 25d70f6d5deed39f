import { expect } from 'chai';
import { desiredState, SnapshotBuilder } from '../plan/testing/snapshot-builder.js';
import { certificatesStatus, renderCertificatesTable } from './certificates.js';

describe('certificates status view', () => {
  it("lists each control plane's certificates with the days left, missing apiserver names, hosts not read", () => {
    const loaded = desiredState({ version: '1.35.1', controlPlanes: ['cp-1', 'cp-2'], workers: ['w-1'] }).cluster;
    loaded.cluster.apiEndpoint = { host: 'api.example.com', port: 6443, alternativeNames: ['lb.example.com'] };
    const b = new SnapshotBuilder()
      .convergedHost('cp-1', 'controlPlane', { version: '1.35.1' })
      .host('cp-2', 'controlPlane', (h) => h.unreachable())
      .convergedHost('w-1', 'staticWorker', { version: '1.35.1' })
      .edit('cp-1', (f) => {
        f.certs = { 'front-proxy-client.crt': '2026-12-01T00:00:00Z', 'apiserver.crt': '2026-11-20T00:00:00Z' };
        f.apiserverSans = ['DNS:api.example.com'];
      });
    const status = certificatesStatus(loaded, b.build(), new Date('2026-11-25T00:00:00Z'));
    expect(status.certificates).to.deep.equal([
      { host: 'cp-1', certificate: 'apiserver.crt', expires: '2026-11-20T00:00:00Z', residualDays: -5 },
      { host: 'cp-1', certificate: 'front-proxy-client.crt', expires: '2026-12-01T00:00:00Z', residualDays: 6 },
    ]);
    expect(status.missingApiserverNames).to.deep.equal([{ host: 'cp-1', names: ['lb.example.com'] }]);
    expect(status.notRead.map((n) => n.host)).to.deep.equal(['cp-2']);
    const table = renderCertificatesTable(status);
    expect(table.split('\n')[0]).to.match(/^HOST\s+CERTIFICATE\s+EXPIRES\s+RESIDUAL TIME$/);
    expect(table).to.match(/cp-1\s+apiserver\.crt\s+2026-11-20T00:00:00Z\s+expired/);
    expect(table).to.match(/cp-1\s+front-proxy-client\.crt\s+2026-12-01T00:00:00Z\s+6d/);
    expect(table).to.contain('cp-1: apiserver.crt does not name lb.example.com').and.contain('cp-2: not read:');
  });
});
