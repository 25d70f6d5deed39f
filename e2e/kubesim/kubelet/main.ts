// Simulated kubelet: the entry point systemd starts. It exits non-zero without
// a usable config or kubeconfig (so systemd keeps restarting it, like a real
// kubelet before "kubeadm init/join"), runs static Pods, registers its Node,
// posts status and renews its Lease. "__component NAME ..." runs a control
// plane component from the same bundle (see components.ts).
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { canConnect, socketPath, unitState } from '../common/host.js';
import { KubeClient, sleep } from '../common/kube-client.js';
import { loadKubeconfig } from '../common/kubeconfig.js';
import { bakedVersion } from '../common/versions.js';
import { FlagError } from '../common/flags.js';
import { runComponent } from './components.js';
import { syncMirrorPods } from './mirror-pods.js';
import { NodeAgent } from './node-status.js';
import { loadKubeletOptions, type KubeletOptions } from './options.js';
import { StaticPodRunner } from './static-pods.js';
import { SERVING_SIGNER, bootstrapClientCertificate, hasValidCertificate, requestCertificate, storeCertificate } from './tls-bootstrap.js';

function log(line: string): void {
  const d = new Date();
  const stamp = `I${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')} ${d.toISOString().slice(11, 23)}`;
  process.stderr.write(`${stamp} ${String(process.pid).padStart(7)} kubelet] ${line}\n`);
}

function fatal(msg: string): never {
  process.stderr.write(`E${new Date().toISOString().slice(5, 10).replace('-', '')} ${new Date().toISOString().slice(11, 23)} ${process.pid} run.go:72] "command failed" err="${msg.replace(/"/g, '\\"')}"\n`);
  process.exit(1);
}

function serveHealthz(port: number): void {
  http
    .createServer((req, res) => {
      res.writeHead(req.url?.startsWith('/healthz') ? 200 : 404, { 'Content-Type': 'text/plain' });
      res.end(req.url?.startsWith('/healthz') ? 'ok' : 'not found');
    })
    .on('error', (err) => log(`healthz server: ${err.message}`))
    .listen(port, '127.0.0.1');
}

/**
 * After a kubeconfig exists: register, then every 10s post status and renew
 * the Lease; mirror pods are synced at once when a static pod changes and
 * every second while one is not Ready (so upgrades see restarts quickly).
 */
async function apiLoop(opts: KubeletOptions, runner: StaticPodRunner, stopped: () => boolean): Promise<void> {
  let client: KubeClient | undefined;
  let agent: NodeAgent | undefined;
  let servingRequested = false;
  let lastStatus = 0;
  let runtimeReady = false;
  let lastMirror = 0;
  let mirrorGeneration = -1;
  let mirrorsReady = false;
  while (!stopped()) {
    try {
      if (!client) {
        client = new KubeClient(loadKubeconfig(opts.kubeconfig), `kubelet/${bakedVersion()} (linux/amd64)`, 5000);
        agent = new NodeAgent(client, opts, bakedVersion(), log);
      }
      const now = Date.now();
      if (!agent!.registered || now - lastStatus >= 10_000) {
        // A real kubelet judges the runtime by its CRI status, not by one slow systemctl call.
        const runtime = await unitState('containerd');
        const ready: boolean = runtime === 'unknown' ? runtimeReady : runtime === 'active';
        runtimeReady = ready;
        if (!agent!.registered) await agent!.register(ready);
        else await agent!.updateStatus(ready);
        await agent!.renewLease();
        lastStatus = now;
      }
      if (runner.generation !== mirrorGeneration || !mirrorsReady || now - lastMirror >= 10_000) {
        const generation = runner.generation;
        mirrorsReady = await syncMirrorPods(client, [...runner.running.values()], opts.nodeName, agent!.nodeUid, opts.nodeIP);
        mirrorGeneration = generation;
        lastMirror = now;
      }
      if (opts.serverTLSBootstrap && !servingRequested) {
        servingRequested = true;
        if (!hasValidCertificate(opts.certDir, 'server')) void requestServingCert(client, opts);
      }
    } catch (err) {
      log(`Error updating node status, will retry: ${(err as Error).message}`);
      lastStatus = 0;
    }
    await sleep(1000);
  }
}

async function requestServingCert(client: KubeClient, opts: KubeletOptions): Promise<void> {
  try {
    const { certPem, keyPem } = await requestCertificate(client, {
      commonName: `system:node:${opts.nodeName}`,
      organizations: ['system:nodes'],
      signerName: SERVING_SIGNER,
      usages: ['digital signature', 'server auth'],
      sans: { dnsNames: [opts.hostname], ips: [opts.nodeIP] },
      timeoutMs: 24 * 3_600_000,
    });
    storeCertificate(opts.certDir, 'server', certPem, keyPem);
    log('kubelet serving certificate issued');
  } catch (err) {
    log(`serving certificate request failed: ${(err as Error).message}`);
  }
}

/** A kubeconfig with an embedded client cert (kubeadm init) seeds kubelet-client-current.pem. */
function adoptEmbeddedClientCert(opts: KubeletOptions): void {
  const current = path.join(opts.certDir, 'kubelet-client-current.pem');
  if (fs.existsSync(current)) return;
  try {
    const cfg = loadKubeconfig(opts.kubeconfig);
    if (cfg.cert && cfg.key) storeCertificate(opts.certDir, 'client', cfg.cert.toString('utf8'), cfg.key.toString('utf8'));
  } catch (err) {
    log(`could not store the client certificate: ${(err as Error).message}`);
  }
}

async function main(argv: string[]): Promise<void> {
  if (argv[0] === '__component') {
    await runComponent(argv[1] ?? '', argv.slice(2));
    return;
  }
  let opts: KubeletOptions;
  try {
    if (argv.includes('--version') || argv.some((a) => a.startsWith('--version='))) {
      process.stdout.write(`Kubernetes ${bakedVersion()}\n`);
      return;
    }
    opts = loadKubeletOptions(argv);
  } catch (err) {
    if (err instanceof FlagError) fatal(`failed to parse kubelet flag: ${err.message}`);
    fatal((err as Error).message);
  }
  log(`Kubelet version kubeletVersion="${bakedVersion()}"`);

  if (!opts.kubeconfig || !fs.existsSync(opts.kubeconfig)) {
    if (!opts.bootstrapKubeconfig || !fs.existsSync(opts.bootstrapKubeconfig)) {
      fatal(`failed to run Kubelet: unable to load bootstrap kubeconfig: stat ${opts.bootstrapKubeconfig ?? ''}: no such file or directory`);
    }
  }
  const sock = socketPath(opts.runtimeEndpoint);
  if (!(await canConnect(sock))) {
    fatal(`failed to run Kubelet: validate service connection: validate CRI v1 runtime API for endpoint "${opts.runtimeEndpoint}": rpc error: code = Unavailable desc = connection error: desc = "transport: Error while dialing: dial unix ${sock}: connect: no such file or directory"`);
  }

  let stopped = false;
  const self = { execPath: process.execPath, args: [...process.execArgv, path.resolve(process.argv[1]!)] };
  const runner = new StaticPodRunner(opts.staticPodPath, opts.nodeName, self, log, () => canConnect(sock));
  const shutdown = (signal: string): void => {
    if (stopped) return;
    stopped = true;
    log(`Received ${signal}, stopping static pods`);
    void runner.stopAll().then(() => process.exit(0));
    setTimeout(() => process.exit(0), 15_000).unref();
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  serveHealthz(opts.healthzPort);
  if (opts.staticPodPath) {
    fs.mkdirSync(opts.staticPodPath, { recursive: true });
    runner.start();
  }

  if (!fs.existsSync(opts.kubeconfig)) {
    // TLS bootstrap runs while static pods are already managed (a joining control plane).
    try {
      await bootstrapClientCertificate(opts.bootstrapKubeconfig!, opts.kubeconfig, opts.certDir, opts.nodeName, log);
    } catch (err) {
      await runner.stopAll();
      fatal(`failed to run Kubelet: unable to load bootstrap kubeconfig: ${(err as Error).message}`);
    }
  }
  adoptEmbeddedClientCert(opts);
  await apiLoop(opts, runner, () => stopped);
}

main(process.argv.slice(2)).catch((err) => fatal((err as Error).stack ?? String(err)));
