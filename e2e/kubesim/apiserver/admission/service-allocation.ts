// ClusterIP allocation through networking.k8s.io/v1 IPAddress objects (as the
// real apiserver does since the MultiCIDRServiceAllocator went GA): creating the
// IPAddress with create-if-absent makes concurrent allocations safe. NodePorts are
// picked by scanning existing Services.
import { errors } from '../http/status.js';
import { BUILTIN_RESOURCES } from '../registry/builtin-resources.js';
import type { ResourceDef } from '../registry/resource-def.js';
import type { KubeObject } from '../storage/object-store.js';
import { isDryRun, rfc3339, type RequestContext } from '../handlers/context.js';
import { randomUUID } from 'node:crypto';

const ipAddressDef = BUILTIN_RESOURCES.find((d) => d.plural === 'ipaddresses')! as ResourceDef;
const servicesDef = BUILTIN_RESOURCES.find((d) => d.plural === 'services')! as ResourceDef;

export interface Cidr4 {
  base: number;
  size: number;
}

export function parseIPv4Cidr(ranges: string): Cidr4 {
  const v4 = ranges.split(',').map((r) => r.trim()).find((r) => /^\d+\.\d+\.\d+\.\d+\/\d+$/.test(r));
  if (!v4) throw new Error(`service-cluster-ip-range "${ranges}" has no IPv4 CIDR`);
  const [ip, bits] = v4.split('/') as [string, string];
  const prefix = Number(bits);
  const size = 2 ** (32 - prefix);
  return { base: (ipToInt(ip) & ~(size - 1)) >>> 0, size };
}

export const ipToInt = (ip: string): number => ip.split('.').reduce((acc, o) => ((acc << 8) >>> 0) + Number(o), 0) >>> 0;
export const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');

/** The first usable address: the `kubernetes` Service's ClusterIP. */
export function firstServiceIP(ranges: string): string {
  const c = parseIPv4Cidr(ranges);
  return intToIp(c.base + 1);
}

function inRange(c: Cidr4, ip: string): boolean {
  const n = ipToInt(ip);
  return n > c.base && n < c.base + c.size - 1;
}

async function reserve(ctx: RequestContext, ip: string, svc: KubeObject): Promise<boolean> {
  if (isDryRun(ctx)) return (await ctx.deps.store.get(ipAddressDef, undefined, ip)) === undefined;
  const r = await ctx.deps.store.create(ipAddressDef, {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'IPAddress',
    metadata: {
      name: ip,
      uid: randomUUID(),
      creationTimestamp: rfc3339(ctx.now),
      labels: { 'ipaddress.kubernetes.io/ip-family': 'IPv4', 'ipaddress.kubernetes.io/managed-by': 'ipallocator.k8s.io' },
    },
    spec: { parentRef: { group: '', resource: 'services', namespace: svc.metadata.namespace, name: svc.metadata.name } },
  });
  if (r.ok) return true;
  return reclaimOrphan(ctx, ip, svc);
}

/**
 * The real allocator's repair loop frees an IPAddress whose Service is gone (a create that
 * failed after allocating, an interrupted delete). Done at once here: a request for such an
 * address takes it over instead of failing with "already allocated" until the loop ran.
 */
async function reclaimOrphan(ctx: RequestContext, ip: string, svc: KubeObject): Promise<boolean> {
  const cur = await ctx.deps.store.get(ipAddressDef, undefined, ip);
  const parent = cur?.object.spec?.parentRef as { namespace?: string; name?: string } | undefined;
  if (!cur || !parent?.name) return false;
  if (await ctx.deps.store.get(servicesDef, parent.namespace, parent.name)) return false;
  const updated = await ctx.deps.store.update(ipAddressDef, {
    ...cur.object,
    spec: { parentRef: { group: '', resource: 'services', namespace: svc.metadata.namespace, name: svc.metadata.name } },
  }, cur.modRevision);
  return updated.ok;
}

export async function allocateClusterIP(ctx: RequestContext, svc: KubeObject): Promise<void> {
  const spec = (svc.spec ??= {}) as Record<string, any>;
  if (spec.type === 'ExternalName') return;
  const cidr = parseIPv4Cidr(ctx.deps.serviceClusterIPRange);
  const requested: string | undefined = spec.clusterIP ?? spec.clusterIPs?.[0];
  if (requested === 'None') {
    spec.clusterIP = 'None';
    spec.clusterIPs = ['None'];
  } else if (requested) {
    if (!inRange(cidr, requested)) {
      throw errors.invalid('Service', '', svc.metadata.name, [{ field: 'spec.clusterIPs', message: `Invalid value: "${requested}": failed to allocate IP ${requested}: the provided IP (${requested}) is not in the valid range. The range of valid IPs is ${ctx.deps.serviceClusterIPRange}` }]);
    }
    if (!(await reserve(ctx, requested, svc))) {
      throw errors.invalid('Service', '', svc.metadata.name, [{ field: 'spec.clusterIPs', message: `Invalid value: ["${requested}"]: failed to allocate IP ${requested}: provided IP is already allocated` }]);
    }
    spec.clusterIP = requested;
    spec.clusterIPs = [requested];
  } else {
    // Dynamic allocations start above the band reserved for static IPs (like the real allocator).
    const offset = Math.min(Math.max(16, Math.floor(cidr.size / 16)), 256);
    let ip: string | undefined;
    for (let i = offset; i < cidr.size - 1 && !ip; i++) {
      const candidate = intToIp(cidr.base + i);
      if (await reserve(ctx, candidate, svc)) ip = candidate;
    }
    if (!ip) throw errors.internal('failed to allocate a serviceIP: range is full');
    spec.clusterIP = ip;
    spec.clusterIPs = [ip];
  }
  spec.ipFamilies ??= ['IPv4'];
  spec.ipFamilyPolicy ??= 'SingleStack';
}

export async function allocateNodePorts(ctx: RequestContext, svc: KubeObject, old?: KubeObject): Promise<void> {
  const spec = svc.spec as Record<string, any>;
  if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') return;
  const used = new Set<number>();
  const { items } = await ctx.deps.store.list(servicesDef);
  for (const s of items) {
    if (s.metadata.uid === svc.metadata.uid) continue;
    for (const p of (s.spec?.ports ?? []) as Array<{ nodePort?: number }>) if (p.nodePort) used.add(p.nodePort);
  }
  const [lo, hi] = ctx.deps.serviceNodePortRange;
  let next = lo;
  for (const port of (spec.ports ?? []) as Array<{ nodePort?: number; port: number; protocol?: string }>) {
    if (port.nodePort === undefined) {
      const prev = (old?.spec?.ports as Array<{ port: number; nodePort?: number }> | undefined)?.find((p) => p.port === port.port)?.nodePort;
      if (prev) port.nodePort = prev;
    }
    if (port.nodePort !== undefined) {
      if (used.has(port.nodePort)) {
        throw errors.invalid('Service', '', svc.metadata.name, [{ field: 'spec.ports[0].nodePort', message: `Invalid value: ${port.nodePort}: provided port is already allocated` }]);
      }
      used.add(port.nodePort);
      continue;
    }
    while (used.has(next) && next <= hi) next++;
    if (next > hi) throw errors.internal('failed to allocate a nodePort: range is full');
    port.nodePort = next;
    used.add(next);
  }
}

export async function releaseClusterIP(ctx: RequestContext, svc: KubeObject): Promise<void> {
  const ip = svc.spec?.clusterIP as string | undefined;
  if (!ip || ip === 'None' || isDryRun(ctx)) return;
  const cur = await ctx.deps.store.get(ipAddressDef, undefined, ip);
  if (cur && cur.object.spec?.parentRef?.name === svc.metadata.name && cur.object.spec?.parentRef?.namespace === svc.metadata.namespace) {
    await ctx.deps.store.delete(ipAddressDef, undefined, ip, cur.modRevision);
  }
}
