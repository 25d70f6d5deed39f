import { expect } from 'chai';
import * as crypto from 'node:crypto';
import { detachedJws, verifyDetachedJws } from './bootstrap-tokens.js';

describe('bootstrap signer JWS', () => {
  it('produces a detached HS256 JWS keyed by the token secret that verifies only with it', () => {
    const payload = 'apiVersion: v1\nkind: Config\n';
    const jws = detachedJws(payload, 'abcdef', '0123456789abcdef');
    const [header, empty, sig] = jws.split('.');
    expect(empty).to.equal('');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).to.deep.equal({ alg: 'HS256', kid: 'abcdef' });
    const expected = crypto.createHmac('sha256', '0123456789abcdef').update(`${header}.${Buffer.from(payload).toString('base64url')}`).digest('base64url');
    expect(sig).to.equal(expected);
    expect(verifyDetachedJws(jws, payload, 'abcdef', '0123456789abcdef')).to.equal(true);
    expect(verifyDetachedJws(jws, payload, 'abcdef', 'ffffffffffffffff')).to.equal(false);
    expect(verifyDetachedJws(jws, payload + ' ', 'abcdef', '0123456789abcdef')).to.equal(false);
  });
});
