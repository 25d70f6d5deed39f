// The static Pod runner: watches the manifest directory, runs each control
// plane component as a process (etcd: the host's real etcd binary; the others:
// this bundle in component mode), restarts crashed ones with back-off,
// restarts on manifest change and stops on removal.
import { spawn, type ChildProcess } from 'node:child_process';
import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';
import { imageTag } from '../common/versions.js';
import { etcdCommandLine } from './etcd-flags.js';

export interface StaticPod {
  file: string;
  hash: string;
  pod: Record<string, any>;
  name: string;
  namespace: string;
  uid: string;
}

export interface RunningPod {
  spec: StaticPod;
  child?: ChildProcess;
  /** No process can be run for this image: reported Running, nothing executes. */
  placeholder: boolean;
  restartCount: number;
  startedAt?: Date;
  lastExit?: { code: number | null; signal: string | null; at: Date };
  stopping: boolean;
  backoffTimer?: NodeJS.Timeout;
}

export type Log = (line: string) => void;

/** How to start a component: the bundle's own entry in "component" mode. */
export interface SelfCommand {
  execPath: string;
  args: string[];
}

export function readStaticPods(dir: string, nodeName: string, log: Log): StaticPod[] {
  let files: string[];
  try {
    files = fs.readdirSync(dir).filter((f) => !f.startsWith('.')).sort();
  } catch {
    return [];
  }
  const out: StaticPod[] = [];
  for (const f of files) {
    const file = path.join(dir, f);
    try {
      if (!fs.statSync(file).isFile()) continue;
      const text = fs.readFileSync(file, 'utf8');
      const pod = parse(text) as Record<string, any>;
      if (pod?.kind !== 'Pod' || !pod.metadata?.name) {
        log(`Could not process manifest file "${file}": not a Pod`);
        continue;
      }
      const namespace = pod.metadata.namespace ?? 'default';
      const hash = crypto.createHash('md5').update(text).digest('hex');
      const name = `${pod.metadata.name}-${nodeName}`;
      // Real kubelet: the static pod UID is the config hash.
      out.push({ file, hash, pod, name, namespace, uid: hash });
    } catch (err) {
      log(`Could not process manifest file "${file}": ${(err as Error).message}`);
    }
  }
  return out;
}

/**
 * The pod's hostPath volumes as the real kubelet sets them up: DirectoryOrCreate directories
 * (0755) and FileOrCreate files are created. Returns the paths the container sees at the same
 * place as the host (a component running here reads host paths directly, so only those).
 */
export function prepareHostPaths(pod: Record<string, any>, log: Log): string[] {
  const byName = new Map<string, { path: string; type: string }>();
  for (const v of (pod.spec?.volumes ?? []) as Record<string, any>[]) {
    if (v?.hostPath?.path) byName.set(String(v.name), { path: String(v.hostPath.path), type: String(v.hostPath.type ?? '') });
  }
  const mounts: string[] = [];
  for (const m of (pod.spec?.containers?.[0]?.volumeMounts ?? []) as Record<string, any>[]) {
    const host = byName.get(String(m?.name));
    if (!host) continue;
    try {
      if (host.type === 'DirectoryOrCreate' && !fs.existsSync(host.path)) fs.mkdirSync(host.path, { recursive: true, mode: 0o755 });
      if (host.type === 'FileOrCreate' && !fs.existsSync(host.path)) {
        fs.mkdirSync(path.dirname(host.path), { recursive: true, mode: 0o755 });
        fs.writeFileSync(host.path, '', { mode: 0o644 });
      }
    } catch (err) {
      log(`hostPath ${host.path}: ${(err as Error).message}`);
    }
    if (host.path === m.mountPath) mounts.push(host.path);
  }
  return mounts;
}

export class StaticPodRunner {
  readonly running = new Map<string, RunningPod>();
  /** Bumped on every start/stop/exit, so the mirror pod sync reacts at once. */
  generation = 0;
  private timer?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly dir: string,
    private readonly nodeName: string,
    private readonly self: SelfCommand,
    private readonly log: Log,
    private readonly runtimeReady: () => Promise<boolean>,
  ) {}

  start(intervalMs = 1000): void {
    const tick = async (): Promise<void> => {
      if (this.stopped) return;
      try {
        await this.sync();
      } catch (err) {
        this.log(`static pod sync failed: ${(err as Error).message}`);
      }
      if (!this.stopped) this.timer = setTimeout(() => void tick(), intervalMs);
    };
    void tick();
  }

  async sync(): Promise<void> {
    if (!this.dir) return;
    const desired = new Map(readStaticPods(this.dir, this.nodeName, this.log).map((p) => [p.file, p]));
    for (const [file, rp] of this.running) {
      const want = desired.get(file);
      if (!want || want.hash !== rp.spec.hash) {
        this.log(`static pod ${rp.spec.name}: manifest ${want ? 'changed' : 'removed'}, stopping`);
        this.running.delete(file);
        await this.stopPod(rp);
        this.generation++;
      }
    }
    if (!(await this.runtimeReady())) return;
    for (const [file, spec] of desired) {
      if (!this.running.has(file)) {
        const rp: RunningPod = { spec, placeholder: false, restartCount: 0, stopping: false };
        this.running.set(file, rp);
        this.launch(rp);
      }
    }
  }

  private commandFor(spec: StaticPod): { cmd: string; args: string[] } | undefined {
    const container = spec.pod.spec?.containers?.[0] ?? {};
    const command: string[] = [...(container.command ?? []), ...(container.args ?? [])];
    const binary = path.basename(command[0] ?? '');
    const component = spec.pod.metadata?.labels?.component ?? spec.pod.metadata.name;
    if (binary === 'etcd' || component === 'etcd') {
      const etcd = process.env.KUBESIM_ETCD_BINARY ?? '/usr/bin/etcd';
      return { cmd: etcd, args: etcdCommandLine(etcd, command.slice(1), this.log) };
    }
    if (['kube-apiserver', 'kube-controller-manager', 'kube-scheduler'].includes(binary)) {
      const version = imageTag(String(container.image ?? ''));
      return { cmd: this.self.execPath, args: [...this.self.args, '__component', binary, `--sim-version=${version}`, ...command.slice(1)] };
    }
    return undefined;
  }

  private launch(rp: RunningPod): void {
    if (this.stopped || rp.stopping) return;
    const how = this.commandFor(rp.spec);
    const containerName = rp.spec.pod.spec?.containers?.[0]?.name ?? rp.spec.pod.metadata.name;
    if (!how) {
      rp.placeholder = true;
      rp.startedAt = new Date();
      this.log(`static pod ${rp.spec.name}: image ${rp.spec.pod.spec?.containers?.[0]?.image} cannot run in the simulator; reported as running`);
      return;
    }
    const logDir = path.join('/var/log/pods', `${rp.spec.namespace}_${rp.spec.name}_${rp.spec.uid}`, containerName);
    let out: number | 'ignore' = 'ignore';
    try {
      fs.mkdirSync(logDir, { recursive: true });
      out = fs.openSync(path.join(logDir, `${rp.restartCount}.log`), 'a');
    } catch {
      /* not root (tests): no log file */
    }
    const mounts = prepareHostPaths(rp.spec.pod, this.log);
    const child = spawn(how.cmd, how.args, { stdio: ['ignore', out, out], env: { ...process.env, KUBESIM_PARENT_PID: String(process.pid), KUBESIM_MOUNTS: mounts.join(',') } });
    if (typeof out === 'number') fs.closeSync(out);
    rp.child = child;
    rp.startedAt = new Date();
    this.generation++;
    this.log(`static pod ${rp.spec.name}: started ${path.basename(how.cmd)} (pid ${child.pid})`);
    child.once('error', (err) => this.log(`static pod ${rp.spec.name}: ${err.message}`));
    child.once('exit', (code, signal) => {
      rp.child = undefined;
      rp.lastExit = { code, signal, at: new Date() };
      this.generation++;
      if (rp.stopping || this.stopped) return;
      rp.restartCount++;
      const delay = Math.min(2000 * 2 ** Math.min(rp.restartCount - 1, 4), 20_000);
      this.log(`static pod ${rp.spec.name}: exited (code ${code}, signal ${signal}); restarting in ${delay / 1000}s`);
      rp.backoffTimer = setTimeout(() => this.launch(rp), delay);
    });
  }

  private stopPod(rp: RunningPod): Promise<void> {
    rp.stopping = true;
    if (rp.backoffTimer) clearTimeout(rp.backoffTimer);
    const child = rp.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }

  async stopAll(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    const all = [...this.running.values()];
    this.running.clear();
    await Promise.all(all.map((rp) => this.stopPod(rp)));
  }
}
