import { ApiException } from '@kubernetes/client-node';
import { expect } from 'chai';

import type { Clock } from '../executor/types.js';
import { isWebhookUnavailable, WEBHOOK_WAIT_MS, whileWebhookStarts } from './machine-workers.js';

/** A clock that only moves when slept on. */
function fakeClock(): Clock & { slept: number[] } {
  let t = 0;
  const slept: number[] = [];
  return { slept, now: () => new Date(t), sleep: async (ms: number) => void (slept.push(ms), (t += ms)) };
}

// What the apiserver answers while machine-controller's webhook pod does not serve yet.
const webhookDown = () =>
  new ApiException(500, 'Unknown API Status Code!', JSON.stringify({ kind: 'Status', status: 'Failure', code: 500, message: 'Internal error occurred: failed calling webhook "machine-controller.kubermatic.io-machinedeployments": failed to call webhook: Post "https://machine-controller-webhook.kube-system.svc:443/machinedeployments?timeout=10s": no endpoints available for service "machine-controller-webhook"' }), {});

describe('pkg/kube machine-controller writes', () => {
  it('tells a webhook that does not answer from other errors', () => {
    expect(isWebhookUnavailable(webhookDown())).to.equal(true);
    expect(isWebhookUnavailable(new ApiException(422, 'invalid', '{"message":"spec.replicas: Invalid value"}', {}))).to.equal(false);
    expect(isWebhookUnavailable(new ApiException(400, 'denied', '{"message":"admission webhook \\"x\\" denied the request: failed calling webhook"}', {}))).to.equal(false);
    expect(isWebhookUnavailable(new Error('socket hang up'))).to.equal(false);
  });

  it('writes again every 5 s while the webhook starts, then succeeds; other errors are not retried', async () => {
    const clock = fakeClock();
    let calls = 0;
    const out = await whileWebhookStarts('create', async () => {
      if (++calls < 4) throw webhookDown();
      return 'created';
    }, { clock });
    expect(out).to.equal('created');
    expect(clock.slept).to.deep.equal([5000, 5000, 5000]);

    const other = fakeClock();
    let tries = 0;
    const conflict = new ApiException(409, 'exists', '{}', {});
    const failed = await whileWebhookStarts('create', async () => {
      tries++;
      throw conflict;
    }, { clock: other }).catch((e: unknown) => e);
    expect(failed).to.equal(conflict);
    expect(tries).to.equal(1);
  });

  it('gives up after KubeOne\'s 3 minutes with the webhook error', async () => {
    const clock = fakeClock();
    const failed = await whileWebhookStarts('create', async () => {
      throw webhookDown();
    }, { clock }).catch((e: unknown) => e);
    expect(isWebhookUnavailable(failed)).to.equal(true);
    expect(clock.now().getTime()).to.equal(WEBHOOK_WAIT_MS);
  });
});
