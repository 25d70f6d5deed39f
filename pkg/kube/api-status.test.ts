import { expect } from 'chai';
import { statusOf } from './api-status.js';

describe('pkg/kube statusOf', () => {
  it("reads client-node's ApiException code, an older error's statusCode, and nothing from other errors", () => {
    expect(statusOf(Object.assign(new Error('Not Found'), { code: 404 }))).to.equal(404);
    expect(statusOf({ statusCode: 409 })).to.equal(409);
    expect(statusOf(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }))).to.equal(undefined);
    expect(statusOf(null)).to.equal(undefined);
    expect(statusOf(undefined)).to.equal(undefined);
  });
});
