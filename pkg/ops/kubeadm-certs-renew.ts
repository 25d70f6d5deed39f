// kubeadm.certs.renew: every control-plane certificate, then the static pods restart.
import { renderCertsRenew } from '../scripts/kubeadm-scripts.js';
import { hostScriptOp } from './host-script-op.js';

export const kubeadmCertsRenew = hostScriptOp({
  summary: 'kubeadm certs renew all and restart the control-plane components',
  what: 'renew certificates',
  render: () => renderCertsRenew(),
  stillDone: () => true,
  model(world, host) {
    const h = world.host(host);
    h.certsEarliestExpiry = world.renewedExpiry;
    for (const k of Object.keys(h.certs ?? {})) h.certs![k] = h.certsEarliestExpiry;
    world.restarted(h);
  },
});
