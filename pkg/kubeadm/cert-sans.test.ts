import { expect } from 'chai';
import { missingSans, parseOpensslSans, sanEntry } from './cert-sans.js';

describe('apiserver certificate names', () => {
  it("reads openssl's subjectAltName text into canonical entries", () => {
    const text = '    DNS:cp-1, DNS:Kubernetes, DNS:kubernetes.default, IP Address:10.96.0.1, IP Address:FD00:0:0:0:0:0:0:1, email:a@b\n';
    expect(parseOpensslSans(text)).to.deep.equal(['DNS:cp-1', 'DNS:kubernetes', 'DNS:kubernetes.default', 'IP:10.96.0.1', 'IP:fd00::1', 'email:a@b']);
  });

  it('the manifest names missing from a certificate, whatever their case or IPv6 spelling', () => {
    const present = parseOpensslSans('DNS:api.example.com, IP Address:FD00:0:0:0:0:0:0:1, IP Address:192.0.2.7');
    expect(missingSans(['API.example.com', 'fd00::1', '192.0.2.7', 'lb.example.com', ''], present)).to.deep.equal(['lb.example.com']);
    // A name that looks like an address is an IP SAN, never a DNS one.
    expect(sanEntry('192.0.2.7')).to.equal('IP:192.0.2.7');
    expect(sanEntry('Api.Example.com')).to.equal('DNS:api.example.com');
  });
});
