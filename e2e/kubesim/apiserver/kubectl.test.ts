// Real kubectl (1.33 and the oldest one present) against the simulated apiserver.
import { expect } from 'chai';
import { execFile, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { LocalCluster } from './testing/local-cluster.js';

const KUBECTLS = ['/usr/lib/google-cloud-sdk/bin/kubectl.1.33', '/usr/lib/google-cloud-sdk/bin/kubectl.1.27'].filter((k) => fs.existsSync(k));

function kubectlRunner(binary: string, kubeconfig: string) {
  return (args: string[], stdin?: string): Promise<{ code: number; stdout: string; stderr: string }> =>
    new Promise((resolve) => {
      const child = execFile(binary, ['--kubeconfig', kubeconfig, ...args], { timeout: 30000 }, (err, stdout, stderr) => {
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
      });
      if (stdin !== undefined) child.stdin?.end(stdin);
    });
}

const addon = (withSecond: boolean, image: string) => `
apiVersion: v1
kind: ConfigMap
metadata: {name: addon-one, namespace: kube-system, labels: {kubeone.io/addon: demo}}
data: {image: "${image}"}
${withSecond ? `---
apiVersion: v1
kind: ConfigMap
metadata: {name: addon-two, namespace: kube-system, labels: {kubeone.io/addon: demo}}
data: {x: "1"}` : ''}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system, labels: {kubeone.io/addon: demo}}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers: [{name: agent, image: "${image}"}]
`;

for (const binary of KUBECTLS) {
  const minor = binary.split('.').pop();
  describe(`kubesim apiserver with kubectl 1.${minor}`, function () {
    this.timeout(60000);
    let cluster: LocalCluster;
    let kubectl: ReturnType<typeof kubectlRunner>;

    before(async () => {
      cluster = await LocalCluster.start();
      kubectl = kubectlRunner(binary, cluster.kubeconfigPath);
    });
    after(async () => {
      await cluster?.stop();
    });

    it('gets nodes as a table, cordons and drains a node with a pod', async () => {
      const node = `{"apiVersion":"v1","kind":"Node","metadata":{"name":"worker-1","labels":{"node-role.kubernetes.io/worker":""}},"status":{"conditions":[{"type":"Ready","status":"True"}],"nodeInfo":{"kubeletVersion":"v1.35.1"}}}`;
      const pods = ['app-1', 'ds-1'].map((name) => ({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name, namespace: 'default', ...(name === 'ds-1' ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'DaemonSet', name: 'ds', uid: 'ds-uid', controller: true }] } : {}) },
        spec: { nodeName: 'worker-1', containers: [{ name: 'c', image: 'busybox:1' }] },
      }));
      expect((await kubectl(['create', '-f', '-'], node)).code).to.equal(0);
      for (const p of pods) expect((await kubectl(['create', '-f', '-'], JSON.stringify(p))).code).to.equal(0);

      const get = await kubectl(['get', 'nodes']);
      expect(get.stdout).to.match(/NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION/).and.match(/worker-1\s+Ready\s+worker\s+\S+\s+v1\.35\.1/);

      expect((await kubectl(['cordon', 'worker-1'])).code).to.equal(0);
      expect((await kubectl(['get', 'node', 'worker-1', '-o', 'jsonpath={.spec.unschedulable}'])).stdout).to.equal('true');
      expect((await kubectl(['get', 'nodes'])).stdout).to.contain('Ready,SchedulingDisabled');

      // The DaemonSet pod's owner does not exist: --ignore-daemonsets still skips it only
      // if the DaemonSet exists, so --force removes unmanaged pods and keeps going.
      const drain = await kubectl(['drain', 'worker-1', '--ignore-daemonsets', '--force', '--timeout=20s']);
      expect(drain.code, drain.stderr).to.equal(0);
      expect(drain.stdout).to.contain('node/worker-1 drained');
      const left = await kubectl(['get', 'pods', '-A', '--field-selector', 'spec.nodeName=worker-1', '-o', 'name']);
      expect(left.stdout.trim().split('\n').filter(Boolean)).to.not.include('pod/app-1');
      expect((await kubectl(['uncordon', 'worker-1'])).code).to.equal(0);
      expect((await kubectl(['get', 'node', 'worker-1', '-o', 'jsonpath={.spec.unschedulable}'])).stdout).to.equal('');
    });

    it('garbage-collects dependents of a deleted owner; one with finalizers is only marked for deletion', async () => {
      expect((await kubectl(['create', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'owner', namespace: 'default' }, spec: { ports: [{ port: 80 }] } }))).code).to.equal(0);
      const uid = (await kubectl(['get', 'service', 'owner', '-o', 'jsonpath={.metadata.uid}'])).stdout;
      for (const [name, finalizers] of [['plain', []], ['held', ['example.com/hold']]] as const) {
        const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default', finalizers, ownerReferences: [{ apiVersion: 'v1', kind: 'Service', name: 'owner', uid }] } };
        expect((await kubectl(['create', '-f', '-'], JSON.stringify(cm))).code).to.equal(0);
      }
      expect((await kubectl(['delete', 'service', 'owner'])).code).to.equal(0);
      expect((await kubectl(['get', 'configmap', 'plain', '--ignore-not-found', '-o', 'name'])).stdout.trim()).to.equal('');
      expect((await kubectl(['get', 'configmap', 'held', '-o', 'jsonpath={.metadata.deletionTimestamp}'])).stdout).to.match(/^\d{4}-/);
      expect((await kubectl(['patch', 'configmap', 'held', '--type=merge', '-p', '{"metadata":{"finalizers":null}}'])).code).to.equal(0);
      expect((await kubectl(['get', 'configmap', 'held', '--ignore-not-found', '-o', 'name'])).stdout.trim()).to.equal('');
    });

    it('applies server-side, prunes dropped fields, reports conflicts and deletes', async () => {
      const first = await kubectl(['apply', '--server-side', '-f', '-'], addon(true, 'agent:1'));
      expect(first.code, first.stderr).to.equal(0);
      expect(first.stdout).to.contain('daemonset.apps/agent serverside-applied');
      const conflict = await kubectl(['apply', '--server-side', '--field-manager', 'intruder', '-f', '-'], addon(false, 'agent:2'));
      expect(conflict.code).to.not.equal(0);
      expect(conflict.stderr).to.contain('conflict with "kubectl"');
      const forced = await kubectl(['apply', '--server-side', '--force-conflicts', '-f', '-'], addon(true, 'agent:3'));
      expect(forced.code, forced.stderr).to.equal(0);
      const image = await kubectl(['get', 'ds', 'agent', '-n', 'kube-system', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']);
      expect(image.stdout).to.equal('agent:3');
      const del = await kubectl(['delete', '-f', '-'], addon(true, 'agent:3'));
      expect(del.code, del.stderr).to.equal(0);
      expect((await kubectl(['get', 'cm', '-n', 'kube-system', '-l', 'kubeone.io/addon=demo', '-o', 'name'])).stdout.trim()).to.equal('');
    });

    it('client-side applies addons with --prune -l like KubeOne', async () => {
      const args = ['apply', '-f', '-', '--prune', '-l', 'kubeone.io/addon=demo'];
      const first = await kubectl(args, addon(true, 'agent:1'));
      expect(first.code, first.stderr).to.equal(0);
      const second = await kubectl(args, addon(false, 'agent:2'));
      expect(second.code, second.stderr).to.equal(0);
      expect(second.stdout).to.contain('configmap/addon-two pruned');
      const names = await kubectl(['get', 'cm', '-n', 'kube-system', '-l', 'kubeone.io/addon=demo', '-o', 'name']);
      expect(names.stdout.trim()).to.equal('configmap/addon-one');
    });

    it('waits (by watching) for a node to become Ready', async () => {
      const node = { apiVersion: 'v1', kind: 'Node', metadata: { name: 'late' }, status: { conditions: [{ type: 'Ready', status: 'False' }] } };
      expect((await kubectl(['create', '-f', '-'], JSON.stringify(node))).code).to.equal(0);
      const started = Date.now();
      const waiting = kubectl(['wait', '--for=condition=Ready', 'node/late', '--timeout=20s']);
      await new Promise((r) => setTimeout(r, 700));
      const patch = JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'True' }] } });
      expect((await kubectl(['patch', 'node', 'late', '--subresource=status', '--type=strategic', '-p', patch])).code).to.equal(0);
      const result = await waiting;
      expect(result.code, result.stderr).to.equal(0);
      expect(result.stdout).to.contain('node/late condition met');
      expect(Date.now() - started).to.be.lessThan(10000);
      // Already met: kubectl still opens a watch, which must answer at once (headers flushed).
      const again = Date.now();
      expect((await kubectl(['wait', '--for=condition=Ready', 'node/late', '--timeout=5s'])).code).to.equal(0);
      expect(Date.now() - again).to.be.lessThan(4000);
    });

    it('prints watch events as table rows (get -w)', async () => {
      const child = spawn(binary, ['--kubeconfig', cluster.kubeconfigPath, 'get', 'configmaps', '-n', 'default', '-w'], { stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      const seen = new Promise<void>((resolve) => {
        child.stdout.on('data', (d) => {
          out += d;
          if (/^watched\s+1\s+\S+$/m.test(out)) resolve();
        });
      });
      try {
        await new Promise((r) => setTimeout(r, 500));
        expect((await kubectl(['create', 'configmap', 'watched', '-n', 'default', '--from-literal=a=b'])).code).to.equal(0);
        await Promise.race([seen, new Promise((_, reject) => setTimeout(() => reject(new Error(`no row for the new ConfigMap in:\n${out}`)), 10000))]);
      } finally {
        child.kill();
      }
      expect(out.match(/^NAME\s+DATA\s+AGE$/gm), out).to.have.length(1);
    });

    it('approves a certificate signing request', async () => {
      const csr = {
        apiVersion: 'certificates.k8s.io/v1',
        kind: 'CertificateSigningRequest',
        metadata: { name: 'node-csr-1' },
        spec: { request: Buffer.from('not really a CSR').toString('base64'), signerName: 'kubernetes.io/kubelet-serving', usages: ['server auth'] },
      };
      expect((await kubectl(['create', '-f', '-'], JSON.stringify(csr))).code).to.equal(0);
      expect((await kubectl(['get', 'csr'])).stdout).to.match(/node-csr-1\s+\S+\s+kubernetes.io\/kubelet-serving\s+kubernetes-admin\s+Pending/);
      const approve = await kubectl(['certificate', 'approve', 'node-csr-1']);
      expect(approve.code, approve.stderr).to.equal(0);
      const conds = await kubectl(['get', 'csr', 'node-csr-1', '-o', 'jsonpath={.status.conditions[0].type}={.status.conditions[0].status}']);
      expect(conds.stdout).to.equal('Approved=True');
    });

    it('creates a service account token', async () => {
      const token = await kubectl(['create', 'token', 'default', '-n', 'default']);
      expect(token.code, token.stderr).to.equal(0);
      const claims = JSON.parse(Buffer.from(token.stdout.trim().split('.')[1]!, 'base64url').toString('utf8'));
      expect(claims.sub).to.equal('system:serviceaccount:default:default');
    });

    it('deletes a namespace with its content', async () => {
      expect((await kubectl(['create', 'namespace', 'scratch'])).code).to.equal(0);
      expect((await kubectl(['create', 'configmap', 'c', '-n', 'scratch', '--from-literal=a=b'])).code).to.equal(0);
      const del = await kubectl(['delete', 'namespace', 'scratch', '--timeout=20s']);
      expect(del.code, del.stderr).to.equal(0);
      expect((await kubectl(['get', 'namespace', 'scratch'])).stderr).to.contain('NotFound');
    });
  });
}
