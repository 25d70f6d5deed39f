// kubeadm.certs.renew: every control-plane certificate (and, when the manifest names an API
// endpoint the serving certificate lacks, a new apiserver certificate from the freshly rendered
// kubeadm configuration), then the static pods restart.
import type { JSONSchemaType } from 'ajv';
import { certSANsOf } from '../kubeadm/cluster-configuration.js';
import { sanEntry } from '../kubeadm/cert-sans.js';
import { KUBEADM_INIT_CONFIG, renderCertsRenew } from '../scripts/kubeadm-scripts.js';
import { homeOf, runScript, stepHost } from './context.js';
import { defineOp } from './types.js';

export interface CertsRenewParams {
  /** Issue a new apiserver serving certificate from ~/kubeone/cfg/init.yaml (names were missing). */
  reissueApiserver: boolean;
}

const PARAMS: JSONSchemaType<CertsRenewParams> = {
  type: 'object',
  additionalProperties: false,
  required: ['reissueApiserver'],
  properties: { reissueApiserver: { type: 'boolean' } },
};

export const kubeadmCertsRenew = defineOp<CertsRenewParams>({
  summary: 'kubeadm certs renew all (and a new apiserver certificate when names are missing), then restart the control-plane components',
  params: PARAMS,
  changes: 'host',
  marksInflight: true,
  async run({ deps, step }, { reissueApiserver }) {
    const { t } = await stepHost(deps, step.host);
    const config = reissueApiserver ? `${await homeOf(t)}/${KUBEADM_INIT_CONFIG}` : undefined;
    await runScript(t, renderCertsRenew(config), 'renew certificates');
  },
  // Renewal is not observable as "done" beyond the dates the planner reads: the journal is trusted.
  stillDone: () => true,
  model(world, { reissueApiserver }, host) {
    const h = world.host(host);
    h.certsEarliestExpiry = world.renewedExpiry;
    for (const k of Object.keys(h.certs ?? {})) h.certs![k] = h.certsEarliestExpiry;
    if (reissueApiserver) {
      const wanted = certSANsOf(world.desired.cluster.cluster, world.desired.cluster.hosts).map(sanEntry);
      h.apiserverSans = [...new Set([...(h.apiserverSans ?? []), ...wanted])].sort();
    }
  },
});
