import { expect } from 'chai';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { translateEtcdArgs } from './etcd-flags.js';
import { hasValidCertificate } from './tls-bootstrap.js';
import { loadKubeletOptions, parseTaints } from './options.js';
import { readStaticPods } from './static-pods.js';

describe('kubelet options', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubesim-kubelet-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('asks for a serving certificate only when it holds no valid one (as the certificate manager)', () => {
    expect(hasValidCertificate(dir, 'server')).to.equal(false);
    const pem = (days: string) => {
      const file = path.join(dir, `kubelet-server-${days}.pem`);
      execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', `${file}.key`, '-out', file, '-subj', '/CN=system:node:w', '-days', days], { stdio: 'ignore' });
      return fs.readFileSync(file, 'utf8') + fs.readFileSync(`${file}.key`, 'utf8');
    };
    fs.writeFileSync(path.join(dir, 'kubelet-server-current.pem'), pem('30'));
    expect(hasValidCertificate(dir, 'server')).to.equal(true);
    expect(hasValidCertificate(dir, 'server', new Date(Date.now() + 31 * 86_400_000))).to.equal(false);
  });

  it('reads the drop-in command line and the config file', () => {
    const cfg = path.join(dir, 'config.yaml');
    fs.writeFileSync(cfg, 'apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\nstaticPodPath: /etc/kubernetes/manifests\nserverTLSBootstrap: true\n');
    const o = loadKubeletOptions([
      '--bootstrap-kubeconfig=/etc/kubernetes/bootstrap-kubelet.conf', '--kubeconfig=/etc/kubernetes/kubelet.conf', `--config=${cfg}`,
      '--container-runtime-endpoint=unix:///run/containerd/containerd.sock', '--node-ip=10.0.0.7', '--hostname-override=Worker-1',
      '--node-labels=a=b,c=', '--register-with-taints=dedicated=infra:NoSchedule,gpu:NoExecute',
    ]);
    expect(o.nodeName).to.equal('worker-1');
    expect(o.nodeIP).to.equal('10.0.0.7');
    expect(o.nodeLabels).to.deep.equal({ a: 'b', c: '' });
    expect(o.registerWithTaints).to.deep.equal([{ key: 'dedicated', value: 'infra', effect: 'NoSchedule' }, { key: 'gpu', effect: 'NoExecute' }]);
    expect(o.staticPodPath).to.equal('/etc/kubernetes/manifests');
    expect(o.serverTLSBootstrap).to.equal(true);
  });

  it('--cloud-provider=external registers the Node with the uninitialized taint; in-tree providers are refused', () => {
    expect(loadKubeletOptions(['--cloud-provider=external', '--register-with-taints=a:NoSchedule']).registerWithTaints).to.deep.equal([
      { key: 'a', effect: 'NoSchedule' },
      { key: 'node.cloudprovider.kubernetes.io/uninitialized', value: 'true', effect: 'NoSchedule' },
    ]);
    expect(loadKubeletOptions([]).registerWithTaints).to.deep.equal([]);
    expect(() => loadKubeletOptions(['--cloud-provider=aws'])).to.throw(/built-in cloud providers are disabled/);
  });

  it('fails like the real kubelet without its config file or on an unknown flag', () => {
    expect(() => loadKubeletOptions([`--config=${path.join(dir, 'missing.yaml')}`])).to.throw(/failed to load kubelet config file.*no such file or directory/);
    expect(() => loadKubeletOptions(['--no-such-flag=1'])).to.throw(/unknown flag: --no-such-flag/);
    expect(() => parseTaints('novalue')).to.throw(/invalid taint spec/);
  });

  it('names mirror pods <pod>-<node> and hashes manifest content', () => {
    fs.writeFileSync(path.join(dir, 'etcd.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: etcd\n  namespace: kube-system\nspec:\n  containers:\n  - name: etcd\n    image: registry.k8s.io/etcd:3.6.6-0\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a pod');
    const first = readStaticPods(dir, 'cp-1', () => {});
    expect(first.map((p) => p.name)).to.deep.equal(['etcd-cp-1']);
    fs.appendFileSync(path.join(dir, 'etcd.yaml'), '  hostNetwork: true\n');
    expect(readStaticPods(dir, 'cp-1', () => {})[0]!.hash).to.not.equal(first[0]!.hash);
  });
});

describe('etcd flag translation for the host etcd', () => {
  const etcd34 = new Set(['name', 'data-dir', 'experimental-initial-corrupt-check', 'experimental-watch-progress-notify-interval', 'experimental-corrupt-check-time', 'listen-metrics-urls']);
  it('renames 3.6 flags to their 3.4 names and drops unknown ones', () => {
    const log: string[] = [];
    const out = translateEtcdArgs(
      ['--name=cp-1', '--feature-gates=InitialCorruptCheck=true', '--watch-progress-notify-interval=5s', '--experimental-compact-hash-check-enabled=true', '--experimental-corrupt-check-time=240m', '--data-dir=/var/lib/etcd'],
      etcd34,
      (l) => log.push(l),
    );
    expect(out).to.deep.equal(['--name=cp-1', '--experimental-initial-corrupt-check=true', '--experimental-watch-progress-notify-interval=5s', '--experimental-corrupt-check-time=240m', '--data-dir=/var/lib/etcd']);
    expect(log.join()).to.match(/dropping --experimental-compact-hash-check-enabled/);
  });
  it('keeps everything when the binary knows the flags', () => {
    const args = ['--name=a', '--feature-gates=InitialCorruptCheck=true'];
    expect(translateEtcdArgs(args, new Set(['name', 'feature-gates']), () => {})).to.deep.equal(args);
  });
});
