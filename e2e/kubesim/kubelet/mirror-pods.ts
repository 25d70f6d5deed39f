// Mirror Pods: the API-side reflection of static Pods (name <pod>-<node>,
// config.mirror annotation = manifest hash), with a status from the process
// state and the component's own health endpoint.
import * as http from 'node:http';
import * as https from 'node:https';
import { KubeError, type KubeClient, type KubeObject } from '../common/kube-client.js';
import type { RunningPod } from './static-pods.js';

const ts = (d: Date): string => d.toISOString().replace(/\.\d{3}Z$/, 'Z');

/** GET the pod's readiness (or startup) probe endpoint. */
export function probe(pod: Record<string, any>): Promise<boolean> {
  const c = pod.spec?.containers?.[0] ?? {};
  const get = (c.readinessProbe ?? c.startupProbe ?? c.livenessProbe)?.httpGet;
  if (!get) return Promise.resolve(true);
  const scheme = String(get.scheme ?? 'HTTP').toUpperCase();
  const isEtcd = (pod.metadata?.labels?.component ?? pod.metadata?.name) === 'etcd';
  // etcd < 3.5.? serves only /health on the metrics listener.
  const paths = isEtcd ? [get.path, '/health'] : [get.path];
  const once = (p: string): Promise<boolean> =>
    new Promise((resolve) => {
      const mod = scheme === 'HTTPS' ? https : http;
      const req = mod.get({ host: get.host ?? '127.0.0.1', port: get.port, path: p, rejectUnauthorized: false, timeout: 3000 }, (res) => {
        let body = '';
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve(res.statusCode === 200 && !body.includes('"health":"false"')));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(false));
    });
  return paths.reduce<Promise<boolean>>(async (acc, p) => (await acc) || once(p), Promise.resolve(false));
}

export function mirrorPod(rp: RunningPod, nodeName: string, nodeUid: string | undefined, hostIP: string, ready: boolean): KubeObject {
  const src = rp.spec.pod;
  const container = src.spec?.containers?.[0] ?? {};
  const running = rp.placeholder || !!rp.child;
  const started = rp.startedAt ?? new Date();
  const containerStatus: KubeObject = {
    name: container.name ?? src.metadata.name,
    image: container.image,
    imageID: `${String(container.image).split(':')[0]}@sha256:${rp.spec.hash.padEnd(64, '0')}`,
    containerID: `containerd://${rp.spec.hash}${String(rp.restartCount).padStart(32, '0')}`.slice(0, 77),
    ready: running && ready,
    started: running,
    restartCount: rp.restartCount,
    state: running ? { running: { startedAt: ts(started) } } : { waiting: { reason: 'CrashLoopBackOff', message: 'back-off restarting failed container' } },
  };
  if (rp.lastExit) {
    containerStatus.lastState = { terminated: { exitCode: rp.lastExit.code ?? 137, reason: rp.lastExit.signal ? 'Error' : 'Completed', finishedAt: ts(rp.lastExit.at) } };
  }
  const cond = (type: string, ok: boolean): KubeObject => ({ type, status: ok ? 'True' : 'False', lastProbeTime: null, lastTransitionTime: ts(started) });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: rp.spec.name,
      namespace: rp.spec.namespace,
      labels: src.metadata.labels ?? {},
      annotations: {
        ...(src.metadata.annotations ?? {}),
        'kubernetes.io/config.hash': rp.spec.hash,
        'kubernetes.io/config.mirror': rp.spec.hash,
        'kubernetes.io/config.seen': started.toISOString(),
        'kubernetes.io/config.source': 'file',
      },
      ownerReferences: nodeUid ? [{ apiVersion: 'v1', kind: 'Node', name: nodeName, uid: nodeUid, controller: true }] : [],
    },
    spec: {
      ...src.spec,
      nodeName,
      restartPolicy: src.spec?.restartPolicy ?? 'Always',
      schedulerName: 'default-scheduler',
      dnsPolicy: src.spec?.dnsPolicy ?? 'ClusterFirst',
      enableServiceLinks: true,
      terminationGracePeriodSeconds: src.spec?.terminationGracePeriodSeconds ?? 30,
      tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
    },
    status: {
      phase: running ? 'Running' : 'Pending',
      hostIP,
      hostIPs: [{ ip: hostIP }],
      podIP: hostIP,
      podIPs: [{ ip: hostIP }],
      qosClass: 'Burstable',
      startTime: ts(started),
      conditions: [cond('PodReadyToStartContainers', true), cond('Initialized', true), cond('Ready', running && ready), cond('ContainersReady', running && ready), cond('PodScheduled', true)],
      containerStatuses: [containerStatus],
    },
  };
}

/** Make the API's mirror pods match the running static pods; returns whether all are Ready. */
export async function syncMirrorPods(client: KubeClient, running: RunningPod[], nodeName: string, nodeUid: string | undefined, hostIP: string): Promise<boolean> {
  let allReady = true;
  const wanted = new Map(running.map((rp) => [`${rp.spec.namespace}/${rp.spec.name}`, rp]));
  for (const rp of running) {
    const base = `/api/v1/namespaces/${rp.spec.namespace}/pods`;
    const ready = rp.placeholder || (!!rp.child && (await probe(rp.spec.pod)));
    if (!ready) allReady = false;
    const desired = mirrorPod(rp, nodeName, nodeUid, hostIP, ready);
    const existing = await client.get(`${base}/${rp.spec.name}`);
    if (existing && existing.metadata?.annotations?.['kubernetes.io/config.mirror'] !== rp.spec.hash) {
      await client.delete(`${base}/${rp.spec.name}`);
    }
    if (!existing || existing.metadata?.annotations?.['kubernetes.io/config.mirror'] !== rp.spec.hash) {
      try {
        const created = await client.create(base, desired);
        await client.update(`${base}/${rp.spec.name}/status`, { ...created, status: desired.status });
      } catch (err) {
        if (!(err instanceof KubeError && err.status === 409)) throw err;
      }
      continue;
    }
    const prev = JSON.stringify(stripTimes(existing.status));
    if (prev !== JSON.stringify(stripTimes(desired.status))) {
      await client.update(`${base}/${rp.spec.name}/status`, { ...existing, status: desired.status });
    }
  }
  // Orphaned mirror pods of this node.
  const list = await client.list(`/api/v1/pods?fieldSelector=spec.nodeName=${encodeURIComponent(nodeName)}`);
  for (const p of list.items ?? []) {
    const mirror = p.metadata?.annotations?.['kubernetes.io/config.mirror'];
    if (mirror && !wanted.has(`${p.metadata.namespace}/${p.metadata.name}`)) {
      await client.delete(`/api/v1/namespaces/${p.metadata.namespace}/pods/${p.metadata.name}`);
    }
  }
  return allReady;
}

function stripTimes(status: KubeObject | undefined): unknown {
  if (!status) return undefined;
  return { phase: status.phase, ready: status.conditions?.find((c: KubeObject) => c.type === 'Ready')?.status, restarts: status.containerStatuses?.[0]?.restartCount, image: status.containerStatuses?.[0]?.image };
}
