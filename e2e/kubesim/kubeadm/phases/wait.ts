// Waiting for the control plane the kubelet started: kube-apiserver /livez,
// kube-controller-manager and kube-scheduler health, like kubeadm's
// "[control-plane-check]"; and for a static Pod to be restarted after a
// manifest change (mirror Pod hash), like "kubeadm upgrade".
import * as https from 'node:https';
import { poll, type KubeClient } from '../../common/kube-client.js';
import { out } from '../output.js';

export function httpsOk(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = https.get(url, { rejectUnauthorized: false, timeout: 3000 }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve(res.statusCode === 200 && body.trim() === 'ok'));
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

export async function waitControlPlane(advertise: string, port: number, timeoutMs: number, components = ['kube-apiserver', 'kube-controller-manager', 'kube-scheduler']): Promise<void> {
  out(`[control-plane-check] Waiting for healthy control plane components. This can take up to ${Math.round(timeoutMs / 60000)}m0s`);
  const urls: Record<string, string> = {
    'kube-apiserver': `https://${advertise}:${port}/livez`,
    'kube-controller-manager': 'https://127.0.0.1:10257/healthz',
    'kube-scheduler': 'https://127.0.0.1:10259/livez',
  };
  for (const c of components) out(`[control-plane-check] Checking ${c} at ${urls[c]}`);
  const start = Date.now();
  await Promise.all(
    components.map(async (c) => {
      try {
        await poll(c, timeoutMs, 500, async () => ((await httpsOk(urls[c]!)) ? true : undefined));
      } catch {
        throw new Error(`${c} check failed at ${urls[c]}: Get "${urls[c]}": dial tcp: connect: connection refused\nA control plane component may have crashed or exited when started by the container runtime.`);
      }
      out(`[control-plane-check] ${c} is healthy after ${((Date.now() - start) / 1000).toFixed(9)}s`);
    }),
  );
}

export async function mirrorPodHash(client: KubeClient, component: string, nodeName: string): Promise<string | undefined> {
  try {
    const pod = await client.get(`/api/v1/namespaces/kube-system/pods/${component}-${nodeName}`);
    return pod?.metadata?.annotations?.['kubernetes.io/config.hash'];
  } catch {
    return undefined;
  }
}

/** Wait until the mirror pod's hash differs from `before` and the pod is Ready. */
export async function waitStaticPodRestart(client: KubeClient, component: string, nodeName: string, before: string | undefined, timeoutMs: number): Promise<void> {
  out(`[upgrade/staticpods] Waiting for the kubelet to restart the component`);
  out(`[upgrade/staticpods] This can take up to ${Math.round(timeoutMs / 60000)}m0s`);
  await poll(`the static Pod "${component}-${nodeName}" to be restarted by the kubelet`, timeoutMs, 1000, async () => {
    const pod = await client.get(`/api/v1/namespaces/kube-system/pods/${component}-${nodeName}`);
    const hash = pod?.metadata?.annotations?.['kubernetes.io/config.hash'];
    if (!hash || hash === before) return undefined;
    const ready = pod?.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status === 'True';
    return ready ? true : undefined;
  });
  out(`[apiclient] Found 1 Pods for label selector component=${component}`);
  out(`[upgrade/staticpods] Component "${component}" upgraded successfully!`);
}
