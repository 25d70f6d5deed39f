import { expect } from 'chai';

import { formerHostsOf, hostNamed } from './former-host.js';
import type { ResolvedHost } from './types.js';

const viaBastion: ResolvedHost[] = [
  { id: 0, role: 'controlPlane', name: 'cp-1', config: { publicAddress: '10.0.0.1', privateAddress: '10.0.0.1', sshUsername: 'ops', sshPrivateKeyFile: '/k', bastion: '127.0.0.1', bastionPort: 2200, isLeader: true, labels: { a: 'b' } } },
  { id: 1, role: 'staticWorker', name: 'worker-1', config: { publicAddress: '10.0.0.11', privateAddress: '10.0.0.11', sshUsername: 'ops', sshPort: 2222, bastion: '127.0.0.1', bastionPort: 2200 } },
];
const forwarded: ResolvedHost[] = [
  { id: 0, role: 'controlPlane', name: 'cp-1', config: { publicAddress: '127.0.0.1', privateAddress: '172.18.0.2', sshPort: 32001, sshUsername: 'ops' } },
];
const node = (name: string, internalIP: string, labels: Record<string, string> = {}, host: string | null = null) => ({ name, internalIP, labels, host });

describe('former hosts (Nodes whose hosts left the manifest)', () => {
  it('reaches a removed worker at its InternalIP with the SSH settings of the manifest workers', () => {
    const [former] = formerHostsOf(viaBastion, [node('cp-1', '10.0.0.1', {}, 'cp-1'), node('worker-2', '10.0.0.12')]);
    expect(former).to.deep.equal({
      id: 2,
      role: 'staticWorker',
      name: 'worker-2',
      config: {
        publicAddress: '10.0.0.12',
        privateAddress: '10.0.0.12',
        sshPort: 2222,
        sshUsername: 'ops',
        sshPrivateKeyFile: undefined,
        sshCertFile: undefined,
        sshAgentSocket: undefined,
        bastion: '127.0.0.1',
        bastionPort: 2200,
        bastionUser: undefined,
        bastionHostPublicKey: undefined,
        bastionPrivateKeyFile: undefined,
        hostname: 'worker-2',
        operatingSystem: undefined,
      },
    });
  });

  it('takes a control plane from its role label and never copies leadership, labels or taints', () => {
    const [former] = formerHostsOf(viaBastion, [node('cp-4', '10.0.0.4', { 'node-role.kubernetes.io/control-plane': '' })]);
    expect(former?.role).to.equal('controlPlane');
    expect(former?.config.sshPrivateKeyFile).to.equal('/k');
    expect(former?.config).to.not.have.any.keys('isLeader', 'labels', 'taints');
  });

  it('uses port 22 when the manifest reaches its hosts through forwarded ports', () => {
    const [former] = formerHostsOf(forwarded, [node('worker-9', '172.18.0.9')]);
    expect(former?.config).to.include({ publicAddress: '172.18.0.9', sshPort: 22 });
  });

  it('skips Nodes that match a manifest host by name or address, and Nodes without an address', () => {
    expect(formerHostsOf(viaBastion, [node('renamed', '10.0.0.11'), node('worker-1', '10.9.9.9'), node('ghost', '')])).to.deep.equal([]);
  });

  it('resolves a host name to the manifest host first, then to a former host the probe reached', () => {
    const probed = [{ name: 'worker-2', id: 2, role: 'staticWorker' as const, privateAddress: '10.0.0.12', former: true }];
    expect(hostNamed(viaBastion, probed, 'worker-1')).to.equal(viaBastion[1]);
    expect(hostNamed(viaBastion, probed, 'worker-2')?.config.publicAddress).to.equal('10.0.0.12');
    expect(hostNamed(viaBastion, [{ ...probed[0]!, former: false }], 'worker-2')).to.equal(undefined);
  });
});
