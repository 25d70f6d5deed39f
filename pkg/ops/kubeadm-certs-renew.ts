// kubeadm.certs.renew: every control-plane certificate, then the static pods restart.
import { renderCertsRenew } from '../scripts/kubeadm-scripts.js';
import { hostByName, runScript } from './context.js';
import { defineOp } from './types.js';

export const kubeadmCertsRenew = defineOp({
  summary: 'kubeadm certs renew all and restart the control-plane components',
  params: null,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }) {
    const host = hostByName(deps, step.host);
    await runScript(await deps.transport(host.name), renderCertsRenew(), 'renew certificates');
  },
  stillDone: () => true,
  model(world, _params, host) {
    const h = world.host(host);
    h.certsEarliestExpiry = world.renewedExpiry;
    for (const k of Object.keys(h.certs ?? {})) h.certs![k] = h.certsEarliestExpiry;
  },
});
