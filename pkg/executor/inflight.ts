// In-flight markers: /var/lib/kubeone/inflight.json on the host a step changes, written
// before the step and removed after it. A marker left behind means a run died mid-step;
// the probe reports it (HostFacts.inflight).
import type { HostTransport } from '../ssh/types.js';
import type { InflightMarkers } from './types.js';

export const INFLIGHT_PATH = '/var/lib/kubeone/inflight.json';

export function transportMarkers(transportFor: (host: string) => Promise<HostTransport>): InflightMarkers {
  return {
    async set(host, marker) {
      const t = await transportFor(host);
      // One round trip: the directory may not exist before host.prerequisites ran.
      const res = await t.exec(`sudo mkdir -p /var/lib/kubeone && sudo tee ${INFLIGHT_PATH} >/dev/null`, {
        stdin: `${JSON.stringify(marker)}\n`,
      });
      if (res.code !== 0) throw new Error(`${host}: cannot write ${INFLIGHT_PATH}: ${res.stderr.trim()}`);
    },
    async clear(host) {
      const t = await transportFor(host);
      await t.exec(`sudo rm -f ${INFLIGHT_PATH}`);
    },
  };
}
