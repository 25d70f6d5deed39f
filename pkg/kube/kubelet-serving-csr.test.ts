import { execFileSync } from 'node:child_process';
import { expect } from 'chai';
import { type CsrView, KUBELET_SERVING_SIGNER, csrSubject, servingCsrProblem, servingCsrsOf } from './kubelet-serving-csr.js';

/** A PKCS#10 request made by openssl, as the kubelet makes it (ECDSA P-256). */
function csrPem(subject: string): string {
  return execFileSync('openssl', ['req', '-new', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', '/dev/null', '-subj', subject], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
}

const node = 'worker-1';
const view = (overrides: Partial<CsrView> = {}): CsrView => ({
  name: 'csr-1',
  signerName: KUBELET_SERVING_SIGNER,
  username: `system:node:${node}`,
  groups: ['system:nodes', 'system:authenticated'],
  usages: ['digital signature', 'server auth'],
  requestPem: csrPem(`/O=system:nodes/CN=system:node:${node}`),
  approved: false,
  finished: false,
  ...overrides,
});

describe('kubelet serving CSRs (approved by kubeone as by KubeOne)', function () {
  this.timeout(20_000);

  it('reads the subject of a certification request', () => {
    expect(csrSubject(csrPem('/O=system:nodes/O=extra/CN=system:node:a'))).to.deep.equal({ '2.5.4.10': ['system:nodes', 'extra'], '2.5.4.3': ['system:node:a'] });
  });

  it("approves the node's own request and refuses anything else", () => {
    expect(servingCsrProblem(view(), node)).to.equal(null);
    expect(servingCsrProblem(view({ groups: ['system:authenticated'] }), node)).to.match(/not an authenticated node/);
    expect(servingCsrProblem(view({ usages: ['digital signature', 'server auth', 'client auth'] }), node)).to.match(/client auth/);
    expect(servingCsrProblem(view({ requestPem: csrPem('/O=system:nodes/CN=system:node:other') }), node)).to.match(/CN "system:node:other"/);
    expect(servingCsrProblem(view({ requestPem: csrPem('/O=system:masters/CN=system:node:worker-1') }), node)).to.match(/organizations \["system:masters"\]/);
    expect(servingCsrProblem(view({ requestPem: csrPem('/O=system:nodes/O=system:masters/CN=system:node:worker-1') }), node)).to.match(/organizations/);
    expect(servingCsrProblem(view({ requestPem: 'garbage' }), node)).to.match(/cannot be read/);
    const two = csrPem('/O=system:nodes/CN=system:node:worker-1');
    expect(servingCsrProblem(view({ requestPem: two + two }), node)).to.match(/exactly one/);
  });

  it('picks the pending serving requests of that node only', () => {
    const csrs = [
      view({ name: 'a' }),
      view({ name: 'b', approved: true }),
      view({ name: 'c', finished: true }),
      view({ name: 'd', username: 'system:node:other' }),
      view({ name: 'e', signerName: 'kubernetes.io/kube-apiserver-client-kubelet' }),
    ];
    const mine = servingCsrsOf(csrs, node);
    expect(mine.pending.map((c) => c.name)).to.deep.equal(['a']);
    expect(mine.approved).to.equal(true);
  });
});
