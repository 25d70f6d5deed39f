// KubeOne fidelity on real hosts (1 control plane + 1 worker, simulator bundles, real containerd):
// a manifest without `hostname` fields converges with nodes named after their machines (as
// KubeOne detects them over SSH); containerd runs the rendered configuration (`containerd config
// dump` shows it) and resolves images through the hosts.toml mirrors ("*" -> _default, a
// path-scoped registry in its host's directory); every kubelet got its serving certificate,
// approved by kubeone. The API is reached through a load balancer on port 8443 while every
// apiserver binds 6443 (KubeOne leaves kubeadm's bindPort). A second apply changes nothing.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { expect } from 'chai';
import { parse, stringify } from 'yaml';
import { FlowError, runApplyFlow } from '../../pkg/executor/apply-flow.js';
import { KUBESIM_BUNDLE_TEMPLATE, type Fleet, startFleet } from '../fleet/index.js';
import { e2eCollaborators, quietUi } from './helpers.js';

const VERSION = '1.35.1';
const MIRROR_PORT = 5555;
const LB_PORT = 8443;

describe('KubeOne fidelity on the sandbox fleet: node names, containerd, serving certificates', function () {
  this.timeout(900_000);
  let fleet: Fleet;
  let names: Record<string, string>;

  before(async function () {
    if (!existsSync(KUBESIM_BUNDLE_TEMPLATE.replace('{arch}', 'amd64').replace('{version}', VERSION))) this.skip();
    fleet = await startFleet({ controlPlanes: 1, workers: 1, kubernetesVersion: VERSION });
    // The manifest a KubeOne user writes: no hostname fields; mirrors for every registry ("*")
    // and for a registry scoped to a path, with credentials.
    const manifest = parse(readFileSync(fleet.manifestPath, 'utf8'));
    for (const h of [...manifest.controlPlane.hosts, ...manifest.staticWorkers.hosts]) delete h.hostname;
    manifest.containerRuntime = {
      containerd: {
        registries: {
          '*': { mirrors: [`http://127.0.0.1:${MIRROR_PORT}`] },
          'gitlab.example/org1': { mirrors: ['https://gitlab-mirror.example/org1'], auth: { username: 'robot', password: 'not-a-real-secret' } },
        },
      },
    };
    // A TCP load balancer on the control plane: LB_PORT -> the apiserver's 6443.
    const cp = manifest.controlPlane.hosts[0].privateAddress as string;
    manifest.apiEndpoint = { host: cp, port: LB_PORT };
    await fleet.exec(
      fleet.hosts.find((h) => h.name.startsWith('cp'))!.name,
      `setsid nohup node -e "const net=require('net');net.createServer(c=>{const u=net.connect(6443,'${cp}');c.pipe(u);u.pipe(c);u.on('error',()=>c.destroy());c.on('error',()=>u.destroy())}).listen(${LB_PORT})" >/dev/null 2>&1 &`,
    );
    writeFileSync(fleet.manifestPath, stringify(manifest));
    // The worker has systemd-resolved's upstream list, as an Ubuntu host has (the sandbox runs no
    // systemd-resolved: the file is what kubeadm's check and kubeone's probe see).
    await fleet.exec(worker(), 'mkdir -p /run/systemd/resolve && printf "nameserver 10.0.0.53\\n" > /run/systemd/resolve/resolv.conf');
    names = {};
    for (const h of fleet.hosts) names[h.name] = (await fleet.exec(h.name, 'hostname -f')).stdout.trim().toLowerCase();
  });
  after(async () => {
    await fleet?.destroy();
  });

  const worker = () => fleet.hosts.find((h) => !h.name.startsWith('cp'))!.name;
  const opts = () => ({ manifestPath: fleet.manifestPath, yes: true, parallelism: 2, command: 'kubeone apply', signal: new AbortController().signal });

  it('converges with nodes named after their machines and labelled with their OS; the snapshot records the names; apply again is a no-op', async () => {
    const c = await e2eCollaborators();
    const log: string[] = [];
    const summary = await runApplyFlow(c, quietUi(log), opts()).catch((e: FlowError) => {
      throw new Error(`${e.message}\n${log.join('\n')}`);
    });
    expect(summary!.failed).to.deep.equal([]);
    const loaded = await c.loadCluster(fleet.manifestPath);
    expect(loaded.hosts.every((h) => !h.config.hostname)).to.equal(true);
    const pool = c.createPool(loaded);
    try {
      const snap = await c.probe(loaded, pool);
      expect(snap.state.kube!.nodes.map((n) => n.name).sort()).to.deep.equal(Object.values(names).sort());
      for (const n of snap.state.kube!.nodes) expect(n, n.name).to.include({ ready: true, kubeletVersion: VERSION });
      // KubeOne labels every Node with its host's OS (os-release ID: the sandbox hosts run Debian).
      for (const n of snap.state.kube!.nodes) expect(n.labels['v1.kubeone.io/operating-system'], n.name).to.equal('debian');
      for (const h of snap.state.hosts) expect(h.nodeName, h.name).to.be.oneOf(Object.values(names));
      expect(new Set(snap.state.hosts.map((h) => h.nodeName)).size).to.equal(2);
      // kubeadm points the kubelet at systemd-resolved's list where it runs; so does kubeone's config.yaml.
      for (const h of fleet.hosts) {
        const config = (await fleet.exec(h.name, 'cat /var/lib/kubelet/config.yaml')).stdout;
        if (h.name === worker()) expect(config, h.name).to.match(/^resolvConf: \/run\/systemd\/resolve\/resolv\.conf$/m);
        else expect(config, h.name).not.to.contain('resolvConf');
      }
    } finally {
      await pool.closeAll();
    }
    expect(await runApplyFlow(c, quietUi(log), opts())).to.equal(null);
  });

  it('containerd runs the rendered configuration: config dump shows CNI dirs, systemd cgroups, the certs.d path and the mirror host credentials', async () => {
    for (const host of Object.keys(names)) {
      const dump = (await fleet.exec(host, 'containerd config dump')).stdout;
      expect(dump, host).to.match(/^version = 2$/m);
      expect(dump, host).to.match(/bin_dir = "\/opt\/cni\/bin"/).and.match(/conf_dir = "\/etc\/cni\/net\.d"/);
      expect(dump, host).to.match(/SystemdCgroup = true/).and.match(/sandbox_image = "registry\.k8s\.io\/pause:3\.10\.1"/);
      expect(dump, host).to.match(/config_path = "\/etc\/containerd\/certs\.d"/);
      expect(dump, host).to.match(/registry\.configs\."gitlab-mirror\.example"\.auth\]\s+auth = ""\s+identitytoken = ""\s+password = "not-a-real-secret"\s+username = "robot"/);
      expect(dump, host).to.match(/registry\.configs\."gitlab\.example"\.auth\]/);
      const dirs = (await fleet.exec(host, 'ls /etc/containerd/certs.d')).stdout.split(/\s+/).filter(Boolean).sort();
      expect(dirs, host).to.deep.equal(['_default', 'docker.io', 'gitlab.example']);
    }
  });

  it('containerd resolves images through the mirrors: "*" via _default, the path-scoped registry via its host', async () => {
    const host = Object.keys(names)[1]!;
    // A stand-in mirror on the host that records what it is asked for.
    await fleet.exec(
      host,
      `nohup node -e "require('http').createServer((q,s)=>{require('fs').appendFileSync('/tmp/mirror.log',q.url+'\\\\n');s.statusCode=404;s.end()}).listen(${MIRROR_PORT},'127.0.0.1')" >/dev/null 2>&1 &`,
    );
    await fleet.exec(host, `for i in $(seq 50); do (exec 3<>/dev/tcp/127.0.0.1/${MIRROR_PORT}) 2>/dev/null && break; sleep 0.1; done`);
    // ctr resolves with containerd's own registry host rules, reading the same certs.d directory.
    await fleet.exec(host, 'timeout 30 ctr -n k8s.io images pull --hosts-dir /etc/containerd/certs.d quay.io/fidelity/probe:v1 >/dev/null 2>&1 || true');
    const seen = (await fleet.exec(host, 'cat /tmp/mirror.log')).stdout;
    expect(seen).to.match(/^\/v2\/fidelity\/probe\/manifests\/v1\?ns=quay\.io$/m);
    const gitlab = (await fleet.exec(host, 'cat /etc/containerd/certs.d/gitlab.example/hosts.toml')).stdout;
    expect(gitlab).to.equal('server = "gitlab.example"\n\n[host."https://gitlab-mirror.example/org1"]\ncapabilities = ["pull", "resolve"]\n');
  });

  it('every kubelet holds a serving certificate approved by kubeone (serverTLSBootstrap); certificates are 0600', async () => {
    const cp = Object.keys(names)[0]!;
    const csrs = JSON.parse((await fleet.exec(cp, 'kubectl --kubeconfig /etc/kubernetes/admin.conf get csr -o json')).stdout).items as any[];
    for (const [host, node] of Object.entries(names)) {
      const serving = csrs.filter((c) => c.spec.signerName === 'kubernetes.io/kubelet-serving' && c.spec.username === `system:node:${node}`);
      // A kubelet restarted before its request was answered files another one (as a real one does).
      expect(serving, node).to.have.length.greaterThan(0);
      for (const csr of serving) expect((csr.status?.conditions ?? []).map((x: any) => x.type), `${node} ${csr.metadata.name}`).to.include('Approved');
      expect(serving.some((csr) => typeof csr.status.certificate === 'string'), node).to.equal(true);
      if (host === cp) expect((await fleet.exec(host, 'cat /etc/kubernetes/manifests/kube-apiserver.yaml')).stdout).to.contain('--secure-port=6443');
      expect((await fleet.exec(host, 'test -s /var/lib/kubelet/pki/kubelet-server-current.pem && echo yes')).stdout.trim(), host).to.equal('yes');
      expect((await fleet.exec(host, 'cat /var/lib/kubelet/kubeadm-flags.env')).stdout, host).to.contain(`--hostname-override=${node} `);
      // Clients go through the load balancer; the apiserver binds kubeadm's default port.
      expect((await fleet.exec(host, 'cat /etc/kubernetes/kubelet.conf')).stdout, host).to.match(new RegExp(`server: https://[0-9.]+:${LB_PORT}`));
      // As KubeOne after kubeadm: certificates readable by root only.
      expect((await fleet.exec(host, "find /etc/kubernetes/pki -name '*.crt' ! -perm 600")).stdout.trim(), host).to.equal('');
      expect((await fleet.exec(host, 'stat -c %a /etc/kubernetes/pki/ca.crt')).stdout.trim(), host).to.equal('600');
    }
  });
});
