import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { KubeOneCluster } from '../../pkg/api/types.js';
import { defaultRouteAddress } from '../../pkg/ssh/local.js';
import { toLocalCluster } from './local.js';
import { runCliCaptured as runKubeone } from '../testing/run-cli.js';

describe('kubeone local', () => {
  const remote: KubeOneCluster = {
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    name: 'prod',
    versions: { kubernetes: '1.35.1' },
    cloudProvider: { hetzner: {} },
    apiEndpoint: { host: 'lb.example.com', port: 443 },
    controlPlane: { hosts: [{ publicAddress: '192.0.2.1' }, { publicAddress: '192.0.2.2' }, { publicAddress: '192.0.2.3' }] },
    staticWorkers: { hosts: [{ publicAddress: '192.0.2.4' }] },
    machineController: { deploy: true },
    clusterNetwork: { podSubnet: '10.100.0.0/16' },
  };

  it("KubeOne's conversion: cluster local, this machine as the untainted leader, provider none, MC and OSM off; the other settings stay", () => {
    const local = toLocalCluster(remote, '10.0.0.5', undefined);
    expect(local.name).to.equal('local');
    expect(local.controlPlane).to.deep.equal({ hosts: [{ publicAddress: '10.0.0.5', privateAddress: '10.0.0.5', isLeader: true, taints: [] }] });
    expect(local.cloudProvider).to.deep.equal({ none: {} });
    expect(local.machineController).to.deep.equal({ deploy: false });
    expect(local.operatingSystemManager).to.deep.equal({ deploy: false });
    expect(local.staticWorkers).to.equal(undefined);
    expect(local.versions).to.deep.equal({ kubernetes: '1.35.1' });
    expect(local.clusterNetwork).to.deep.equal({ podSubnet: '10.100.0.0/16' });
    // The manifest's endpoint stays (as KubeOne); --apiendpoint replaces its host.
    expect(local.apiEndpoint).to.deep.equal({ host: 'lb.example.com', port: 443 });
    expect(toLocalCluster(remote, '10.0.0.5', 'k8s.local').apiEndpoint).to.deep.equal({ host: 'k8s.local', port: 443 });
  });

  it("this machine's address: the default route's interface, else the first non-loopback IPv4 one", () => {
    const routes = 'Iface\tDestination\tGateway\tFlags\tRefCnt\tUse\tMetric\tMask\n' + 'eth1\t0000A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\n' + 'eth0\t00000000\t0100A8C0\t0003\t0\t0\t0\t00000000\n';
    const v4 = (address: string, internal = false) => ({ address, family: 'IPv4' as const, internal, netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: `${address}/24` });
    const interfaces = { lo: [v4('127.0.0.1', true)], eth1: [v4('192.168.0.7')], eth0: [v4('10.1.2.3')] };
    expect(defaultRouteAddress(routes, interfaces)).to.equal('10.1.2.3');
    expect(defaultRouteAddress('Iface\tDestination\n', interfaces)).to.equal('192.168.0.7');
    expect(defaultRouteAddress('', { lo: [v4('127.0.0.1', true)] })).to.equal(undefined);
  });

  it('bad arguments fail before anything runs: no manifest and no version (15); a version beside a manifest (1)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kubeone-local-'));
    const none = await runKubeone(['local', '-m', join(dir, 'missing.yaml')]);
    expect(none.code).to.equal(15);
    expect(none.stderr).to.match(/--kubernetes-version is required/);
    const manifest = join(dir, 'kubeone.yaml');
    writeFileSync(manifest, 'apiVersion: kubeone.k8c.io/v1beta2\nkind: KubeOneCluster\nversions:\n  kubernetes: 1.35.1\n');
    const both = await runKubeone(['local', '-m', manifest, '--kubernetes-version', '1.35.1']);
    expect(both.code).to.equal(1);
    expect(both.stderr).to.match(/--kubernetes-version is for a cluster without a manifest/);
    const bad = await runKubeone(['local', '-m', join(dir, 'missing.yaml'), '--kubernetes-version', 'latest']);
    expect(bad.code).to.equal(15);
  });
});
