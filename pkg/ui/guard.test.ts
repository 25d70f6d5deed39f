import { expect } from 'chai';
import { allowedHosts, cookieName, cookieValue, hostAllowed, isNamespaceName, isObjectName, newToken, originAllowed, tokenCookie, tokenMatches } from './guard.js';

describe('ui guards', () => {
  it('tokens are 256 random bits, URL-safe, different each run', () => {
    const a = newToken();
    expect(a).to.match(/^[A-Za-z0-9_-]{43}$/);
    expect(newToken()).not.to.equal(a);
  });

  it('a token matches only itself', () => {
    const t = newToken();
    expect(tokenMatches(t, t)).to.equal(true);
    expect(tokenMatches(t, `${t}x`)).to.equal(false);
    expect(tokenMatches(t, t.slice(0, -1))).to.equal(false);
    expect(tokenMatches(t, '')).to.equal(false);
    expect(tokenMatches(t, undefined)).to.equal(false);
    expect(tokenMatches(t, null)).to.equal(false);
  });

  it('the cookie is HttpOnly, SameSite=Strict and named after the port', () => {
    expect(tokenCookie(8080, 'abc')).to.equal('kubeone_ui_8080=abc; Path=/; HttpOnly; SameSite=Strict');
    expect(cookieValue('a=1; kubeone_ui_8080=abc; b=2', cookieName(8080))).to.equal('abc');
    expect(cookieValue('kubeone_ui_8081=abc', cookieName(8080))).to.equal(undefined);
    expect(cookieValue(undefined, cookieName(8080))).to.equal(undefined);
  });

  it('on loopback the loopback names are accepted as Host; a rebound name is not', () => {
    const allowed = allowedHosts('127.0.0.1', 8080);
    for (const h of ['127.0.0.1:8080', 'localhost:8080', 'LOCALHOST:8080', '[::1]:8080']) expect(hostAllowed(allowed, h), h).to.equal(true);
    for (const h of ['evil.example:8080', '127.0.0.1:8081', '127.0.0.1', undefined]) expect(hostAllowed(allowed, h), String(h)).to.equal(false);
  });

  it('on another address only that address is accepted as Host', () => {
    const allowed = allowedHosts('10.0.0.5', 9000);
    expect(hostAllowed(allowed, '10.0.0.5:9000')).to.equal(true);
    expect(hostAllowed(allowed, 'localhost:9000')).to.equal(false);
    expect(hostAllowed(allowedHosts('fd00::5', 9000), '[fd00::5]:9000')).to.equal(true);
  });

  it('a POST from another origin or another site is refused; same origin and no Origin header pass', () => {
    const allowed = allowedHosts('127.0.0.1', 8080);
    expect(originAllowed(allowed, { origin: 'http://127.0.0.1:8080' })).to.equal(true);
    expect(originAllowed(allowed, { origin: 'http://localhost:8080', 'sec-fetch-site': 'same-origin' })).to.equal(true);
    expect(originAllowed(allowed, {})).to.equal(true);
    expect(originAllowed(allowed, { origin: 'http://evil.example' })).to.equal(false);
    expect(originAllowed(allowed, { origin: 'null' })).to.equal(false);
    expect(originAllowed(allowed, { origin: 'https://127.0.0.1:8080' })).to.equal(false);
    expect(originAllowed(allowed, { origin: 'http://127.0.0.1:8080/x' })).to.equal(false);
    expect(originAllowed(allowed, { 'sec-fetch-site': 'cross-site' })).to.equal(false);
    expect(originAllowed(allowed, { 'sec-fetch-site': 'same-site' })).to.equal(false);
  });

  it('object and namespace names are DNS-1123', () => {
    for (const ok of ['web-0', 'coredns-5d78c9869d-abcde', 'a.b.c', 'x']) expect(isObjectName(ok), ok).to.equal(true);
    for (const bad of ['', 'Web', '-a', 'a-', 'a_b', 'a/b', '../x', 'a b', 'a\n', `${'a'.repeat(254)}`, 42, undefined]) expect(isObjectName(bad), String(bad)).to.equal(false);
    for (const ok of ['kube-system', 'default', 'a1']) expect(isNamespaceName(ok), ok).to.equal(true);
    for (const bad of ['a.b', 'Kube', '', 'a'.repeat(64), 'kube-system\u0000']) expect(isNamespaceName(bad), bad).to.equal(false);
  });
});
