// The kubeadm bundle as a process: flag handling, config strictness, and the
// certs/kubeconfig phases writing under a scratch root (KUBESIM_ROOT).
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { parse } from 'yaml';
import { renderInitFile } from '../../../pkg/kubeadm/render-files.js';
import { fixtureCluster } from '../../../pkg/scripts/testing/fixtures.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

describe('kubeadm CLI (bundled)', function () {
  this.timeout(60_000);
  let dir: string;
  let bundle: string;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-kubeadm-'));
    bundle = path.join(dir, 'kubeadm.cjs');
    await build({ entryPoints: [path.join(HERE, 'main.ts')], bundle: true, platform: 'node', target: 'node18', format: 'cjs', outfile: bundle, define: { __KUBESIM_VERSION__: '"v1.35.1"' }, logLevel: 'error' });
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const kubeadm = (args: string[], root = path.join(dir, 'root')): { code: number; stdout: string; stderr: string } => {
    const r = spawnSync(process.execPath, [bundle, ...args], { env: { ...process.env, KUBESIM_ROOT: root }, encoding: 'utf8' });
    return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
  };

  const config = (extra = ''): string => {
    const file = path.join(dir, `cfg-${crypto.randomUUID()}.yaml`);
    fs.writeFileSync(file, `apiVersion: kubeadm.k8s.io/v1beta4
kind: InitConfiguration
localAPIEndpoint:
  advertiseAddress: 10.1.2.3
nodeRegistration:
  name: cp-a
---
apiVersion: kubeadm.k8s.io/v1beta4
kind: ClusterConfiguration
kubernetesVersion: v1.35.1
controlPlaneEndpoint: lb.test:6443
encryptionAlgorithm: ECDSA-P256
${extra}`);
    return file;
  };

  it('prints its baked version, also with global flags first', () => {
    expect(kubeadm(['version', '-o', 'short']).stdout.trim()).to.equal('v1.35.1');
    const json = JSON.parse(kubeadm(['--v=6', 'version', '-o', 'json']).stdout);
    expect(json.clientVersion).to.include({ gitVersion: 'v1.35.1', major: '1', minor: '35' });
  });

  it('rejects unknown flags and --config mixed with other flags', () => {
    const r = kubeadm(['init', '--no-such-flag']);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('unknown flag: --no-such-flag');
    const mixed = kubeadm(['init', '--config', config(), '--pod-network-cidr', '10.0.0.0/8']);
    expect(mixed.code).to.equal(1);
    expect(mixed.stderr).to.include("can not mix '--config' with arguments [pod-network-cidr]");
  });

  it('fails on an unknown config field before touching the host', () => {
    const root = path.join(dir, 'untouched');
    const r = kubeadm(['init', 'phase', 'certs', 'all', '--config', config('apiServer:\n  timeoutForControlPlane: 4m0s\n')], root);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('strict decoding error: unknown field "apiServer.timeoutForControlPlane"');
    expect(fs.existsSync(root)).to.equal(false);
  });

  it('writes the PKI and kubeconfigs of "init phase certs/kubeconfig all"', () => {
    const root = path.join(dir, 'phases');
    const cfg = config();
    const certs = kubeadm(['init', 'phase', 'certs', 'all', '--config', cfg], root);
    expect(certs.code, certs.stderr).to.equal(0);
    expect(certs.stdout).to.include('[certs] Generating "apiserver" certificate and key');
    const api = new crypto.X509Certificate(fs.readFileSync(path.join(root, 'etc/kubernetes/pki/apiserver.crt')));
    expect(api.subjectAltName).to.include('DNS:lb.test').and.include('IP Address:10.1.2.3').and.include('DNS:cp-a');
    const kc = kubeadm(['init', 'phase', 'kubeconfig', 'all', '--config', cfg], root);
    expect(kc.code, kc.stderr).to.equal(0);
    const admin = parse(fs.readFileSync(path.join(root, 'etc/kubernetes/admin.conf'), 'utf8'));
    expect(admin.clusters[0].cluster.server).to.equal('https://lb.test:6443');
    const scheduler = parse(fs.readFileSync(path.join(root, 'etc/kubernetes/scheduler.conf'), 'utf8'));
    expect(scheduler.clusters[0].cluster.server).to.equal('https://10.1.2.3:6443');
    const cert = new crypto.X509Certificate(Buffer.from(admin.users[0].user['client-certificate-data'], 'base64'));
    expect(cert.subject).to.include('O=kubeadm:cluster-admins').and.include('CN=kubernetes-admin');
    const again = kubeadm(['init', 'phase', 'certs', 'all', '--config', cfg], root);
    expect(again.stdout).to.include('[certs] Using existing ca certificate authority');
  });

  it('writes the configuration kubeone renders into static pods and kubelet files, as kubeadm does', () => {
    const root = path.join(dir, 'kubeone');
    const loaded = fixtureCluster({ apiEndpoint: { host: 'lb.test', port: 8443 }, features: { nodeLocalDNS: { deploy: true } }, tlsCipherSuites: { kubelet: ['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256'] } });
    loaded.hosts[0]!.config.kubelet = { maxPods: 40 };
    const file = path.join(dir, 'kubeone-init.yaml');
    fs.writeFileSync(file, renderInitFile(loaded, loaded.hosts[0]!));
    for (const phase of ['etcd', 'control-plane', 'kubelet-start']) {
      const r = kubeadm(['init', 'phase', phase, ...(phase === 'control-plane' ? ['all'] : phase === 'etcd' ? ['local'] : []), '--config', file], root);
      expect(r.code, `${phase}: ${r.stderr}`).to.equal(0);
    }
    const manifest = (name: string) => parse(fs.readFileSync(path.join(root, `etc/kubernetes/manifests/${name}.yaml`), 'utf8')).spec;
    const etcd = manifest('etcd').containers[0];
    expect(etcd.command).to.include('--experimental-corrupt-check-time=240m').and.include('--experimental-compact-hash-check-enabled=true');
    expect(etcd.env).to.deep.include({ name: 'ETCDCTL_ENDPOINTS', value: 'https://127.0.0.1:2379' });
    const api = manifest('kube-apiserver').containers[0];
    // The load balancer listens on 8443; the apiserver binds kubeadm's default port.
    expect(api.command).to.include('--secure-port=6443').and.include('--profiling=false').and.include('--endpoint-reconciler-type=lease');
    const cm = manifest('kube-controller-manager');
    expect(cm.containers[0].command).to.include('--flex-volume-plugin-dir=/var/lib/kubelet/volumeplugins');
    expect(cm.volumes).to.deep.include({ hostPath: { path: '/var/lib/kubelet/volumeplugins', type: 'DirectoryOrCreate' }, name: 'flexvolume-dir' });
    const flags = fs.readFileSync(path.join(root, 'var/lib/kubelet/kubeadm-flags.env'), 'utf8');
    const names = [...flags.matchAll(/--([a-z-]+)=/g)].map((m) => m[1]);
    expect(names).to.deep.equal([...names].sort());
    expect(flags).to.include('--max-pods=40').and.include('--pod-max-pids=-1').and.include('--volume-plugin-dir=/var/lib/kubelet/volumeplugins');
    const kubelet = parse(fs.readFileSync(path.join(root, 'var/lib/kubelet/config.yaml'), 'utf8'));
    expect(kubelet).to.include({ serverTLSBootstrap: true, rotateCertificates: true, cgroupDriver: 'systemd' });
    expect(kubelet.clusterDNS).to.deep.equal(['169.254.20.10']);
    expect(kubelet.tlsCipherSuites).to.deep.equal(['TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256']);
  });

  it('lists the images of a version', () => {
    const r = kubeadm(['config', 'images', 'list', '--kubernetes-version', 'v1.34.3']);
    expect(r.stdout.trim().split('\n')).to.include.members(['registry.k8s.io/kube-apiserver:v1.34.3', 'registry.k8s.io/kube-proxy:v1.34.3', 'registry.k8s.io/pause:3.10.1']);
  });
});
