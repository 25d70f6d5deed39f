// KubeOne's own template helpers, sprig's must* variants (an error where the plain function
// gives a zero value), Go's regexp error shapes, and sprig's key and certificate generators.
// Expected values come from KubeOne's helpers (pkg/addons/manifest.go: sigs.k8s.io/yaml output
// with sorted keys, encoding/json, BurntSushi/toml), sprig's documentation and Go's regexp/syntax
// error texts; the bcrypt vectors are the published OpenBSD/jBCrypt ones.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { expect } from 'chai';
import { withAddonDefaults } from '../config-view.js';
import { baseTemplateData, templateData } from '../template-data.js';
import { loadedCluster } from '../testing/fixtures.js';
import { addonFuncs } from './funcs.js';
import { renderTemplate } from './index.js';
import { bcryptWithSalt } from './sprig/bcrypt.js';

const loaded = loadedCluster({ cloudProvider: { none: {} } });
const base = baseTemplateData({ loaded, cluster: withAddonDefaults(loaded.cluster), env: {}, clusterCA: null, now: new Date('2026-01-01T00:00:00Z') });
const data = templateData(base, { a: 'x' });
const BUNDLE = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function renderWith(src: string, opts: { overwriteRegistry?: string; caBundle?: string } = {}): string {
  const funcs = addonFuncs({ overwriteRegistry: opts.overwriteRegistry ?? '', caBundle: opts.caBundle ?? '', env: {} });
  return renderTemplate('f.yaml', src, data, funcs);
}
const render = (src: string): string => renderWith(src);
const failure = (src: string): string => {
  try {
    render(src);
  } catch (e) {
    return (e as Error).message.replace(/^template: f\.yaml:\d+:\d+: executing "f\.yaml" at <[^>]*>: /, '');
  }
  throw new Error(`no error for ${src}`);
};

describe("KubeOne's template helpers", () => {
  it('Registry: the overwrite registry when set, else the argument', () => {
    expect(render('{{ Registry "registry.k8s.io" }}/pause')).to.equal('registry.k8s.io/pause');
    expect(renderWith('{{ Registry "registry.k8s.io" }}/pause', { overwriteRegistry: 'mirror.local:5000' })).to.equal('mirror.local:5000/pause');
  });

  it('CABundle: certificateAuthority.bundle, empty without it', () => {
    expect(render('[{{ CABundle }}]')).to.equal('[]');
    expect(renderWith('{{ CABundle }}', { caBundle: BUNDLE })).to.equal(BUNDLE);
  });

  it('caBundleEnvVar, caBundleVolume, caBundleVolumeMount: YAML lists with sorted keys', () => {
    expect(render('{{ caBundleEnvVar }}')).to.equal('- name: SSL_CERT_FILE\n  value: /etc/kubeone/certs/ca-certificates.crt\n');
    expect(render('{{ caBundleVolume }}')).to.equal('- configMap:\n    name: ca-bundle\n  name: ca-bundle\n');
    expect(render('{{ caBundleVolumeMount }}')).to.equal('- mountPath: /etc/kubeone/certs\n  name: ca-bundle\n  readOnly: true\n');
    expect(render('env:{{ caBundleEnvVar | nindent 2 }}')).to.equal('env:\n  - name: SSL_CERT_FILE\n    value: /etc/kubeone/certs/ca-certificates.crt\n  ');
  });

  it('EquinixMetalSecret: the JSON Secret body', () => {
    expect(render('{{ EquinixMetalSecret "key<1>" "proj" }}')).to.equal('{"apiKey":"key\\u003c1\\u003e","projectID":"proj"}');
  });

  it('vSphereCSIWebhookConfig: the TOML webhook section', () => {
    expect(render('{{ vSphereCSIWebhookConfig }}')).to.equal(
      '[WebHookConfig]\nport = "8443"\ncert-file = "/run/secrets/tls/cert.pem"\nkey-file = "/run/secrets/tls/key.pem"\n',
    );
  });
});

describe('sprig must* variants', () => {
  it('return an error where the plain function returns a zero value', () => {
    expect(render('{{ regexMatch "[" "x" }}')).to.equal('false');
    expect(failure('{{ mustRegexMatch "[" "x" }}')).to.equal('error calling mustRegexMatch: error parsing regexp: missing closing ]: `[`');
    expect(render('{{ toDate "2006-01-02" "bad" }}')).to.equal('0001-01-01 00:00:00 +0000 UTC');
    expect(failure('{{ mustToDate "2006-01-02" "bad" }}')).to.equal('error calling mustToDate: parsing time "bad" as "2006-01-02": cannot parse "bad" as "2006"');
    expect(render('{{ fromJson "{" }}')).to.equal('<no value>');
    expect(failure('{{ mustFromJson "{" }}')).to.equal('error calling mustFromJson: unexpected end of JSON input');
    expect(failure('{{ mustDateModify "bad" now }}')).to.equal('error calling mustDateModify: time: invalid duration "bad"');
  });

  it('fail like the plain list functions on a value that is not a list (those panic in sprig)', () => {
    expect(failure('{{ first "abc" }}')).to.equal('error calling first: Cannot find first on type string');
    expect(failure('{{ mustFirst "abc" }}')).to.equal('error calling mustFirst: Cannot find first on type string');
    expect(failure('{{ mustAppend "a" 1 }}')).to.equal('error calling mustAppend: Cannot push on type string');
    expect(failure('{{ mustPrepend "a" 1 }}')).to.equal('error calling mustPrepend: Cannot prepend on type string');
    expect(failure('{{ mustChunk 2 "a" }}')).to.equal('error calling mustChunk: Cannot chunk type string');
    expect(failure('{{ mustCompact "a" }}')).to.equal('error calling mustCompact: Cannot compact on type string');
  });

  it('give the plain result otherwise', () => {
    expect(render('{{ mustFirst (list) }}|{{ mustLast (list 1 2) }}|{{ mustRest (list 1 2) }}|{{ mustInitial (list 1 2) }}|{{ mustReverse (list 1 2) }}')).to.equal('<no value>|2|[2]|[1]|[2 1]');
    expect(render('{{ mustUniq (list 1 1 2) }}|{{ mustWithout (list 1 2) 1 }}|{{ mustHas 1 (list 1) }}|{{ mustSlice (list 1 2 3) 1 }}|{{ mustPush (list 1) 2 }}')).to.equal('[1 2]|[2]|true|[2 3]|[1 2]');
    expect(render('{{ mustMerge (dict "a" 1) (dict "a" 2 "b" 2) }}|{{ mustMergeOverwrite (dict "a" 1) (dict "a" 2) }}|{{ mustDeepCopy (dict "a" (list 1)) }}')).to.equal('map[a:1 b:2]|map[a:2]|map[a:[1]]');
    expect(render('{{ mustToJson (dict "a" "<") }}|{{ mustToRawJson (dict "a" "<") }}|{{ mustToPrettyJson (list 1) }}')).to.equal('{"a":"\\u003c"}|{"a":"<"}|[\n  1\n]');
    expect(render('{{ mustRegexFind "[0-9]+" "a12" }}|{{ mustRegexFindAll "[0-9]" "a1b2" -1 }}|{{ mustRegexReplaceAll "(b)" "abc" "[$1]" }}|{{ mustRegexReplaceAllLiteral "(b)" "abc" "$1" }}|{{ mustRegexSplit "," "a,b" -1 }}')).to.equal('12|[1 2]|a[b]c|a$1c|[a b]');
    expect(render('{{ must_date_modify "90m" (toDate "2006-01-02" "2024-01-01") }}')).to.equal('2024-01-01 01:30:00 +0000 UTC');
  });
});

describe("Go's regexp syntax errors", () => {
  const cases: [string, string][] = [
    ['a[b', 'missing closing ]: `[b`'],
    ['(a', 'missing closing ): `(a`'],
    ['a)', 'unexpected ): `a)`'],
    ['*a', 'missing argument to repetition operator: `*`'],
    ['a|+', 'missing argument to repetition operator: `+`'],
    ['a**', 'invalid nested repetition operator: `**`'],
    ['[z-a]', 'invalid character class range: `z-a`'],
    ['\\q', 'invalid escape sequence: `\\q`'],
    ['a\\', 'trailing backslash at end of expression: ``'],
  ];
  for (const [re, msg] of cases) {
    it(`${re} -> ${msg}`, () => {
      expect(failure(`{{ mustRegexMatch ${JSON.stringify(re)} "x" }}`)).to.equal(`error calling mustRegexMatch: error parsing regexp: ${msg}`);
    });
  }

  it('accepts what RE2 accepts: lazy repetition, non-capturing and named groups', () => {
    expect(render('{{ regexFind "a+?" "aaa" }}|{{ regexFind "(?:ab)+" "xabab" }}|{{ regexReplaceAll "(?P<k>[a-z]+)=" "x=1" "${k}:" }}|{{ regexFind "[a-c-]+" "b-a" }}')).to.equal('a|abab|x:1|b-a');
  });
});

describe("sprig's key and certificate generators", () => {
  it('genCA and genSignedCert: a CA and a certificate it signed, with the names asked for', () => {
    const out = render('{{ $ca := genCA "my-ca" 365 }}{{ $c := genSignedCert "svc" (list "10.0.0.1") (list "svc.example") 30 $ca }}{{ $ca.Cert }}|{{ $c.Cert }}|{{ $c.Key }}');
    const [caPem, certPem, keyPem] = out.split('|') as [string, string, string];
    const ca = new X509Certificate(caPem);
    const cert = new X509Certificate(certPem);
    expect(ca.ca).to.equal(true);
    expect(ca.subject).to.equal('CN=my-ca');
    expect(cert.ca).to.equal(false);
    expect(cert.subject).to.equal('CN=svc');
    expect(cert.checkIssued(ca)).to.equal(true);
    expect(cert.verify(ca.publicKey)).to.equal(true);
    expect(cert.subjectAltName).to.equal('DNS:svc.example, IP Address:10.0.0.1');
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).to.equal(true);
    expect(keyPem).to.match(/^-----BEGIN RSA PRIVATE KEY-----\n/);
    const days = (Date.parse(cert.validTo) - Date.parse(cert.validFrom)) / 86_400_000;
    expect(days).to.equal(30);
  });

  it('genPrivateKey: PEM blocks per key type, and sprig\'s text for an unknown type', () => {
    expect(render('{{ genPrivateKey "rsa" }}')).to.match(/^-----BEGIN RSA PRIVATE KEY-----\n[\s\S]+-----END RSA PRIVATE KEY-----\n$/);
    expect(render('{{ genPrivateKey "ecdsa" }}')).to.match(/^-----BEGIN EC PRIVATE KEY-----\n/);
    expect(render('{{ genPrivateKey "ed25519" }}')).to.match(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(render('{{ genPrivateKey "dsa" }}')).to.match(/^-----BEGIN DSA PRIVATE KEY-----\n/);
    expect(render('{{ genPrivateKey "foo" }}')).to.equal('Unknown type foo');
  });

  it('bcrypt: $2a$ hashes of cost 10; the algorithm matches the published vectors', () => {
    expect(render('{{ bcrypt "secret" }}')).to.match(/^\$2a\$10\$[./A-Za-z0-9]{53}$/);
    expect(bcryptWithSalt('', 'DCq7YPn5Rq63x1Lad4cll.', 6)).to.equal('$2a$06$DCq7YPn5Rq63x1Lad4cll.TV4S6ytwfsfvkgY8jIucDrjc8deX1s.');
    expect(bcryptWithSalt('abc', 'If6bvum7DFjUnE9p2uDeDu', 6)).to.equal('$2a$06$If6bvum7DFjUnE9p2uDeDu0YHzrHM6tf.iqN8.yx.jNN1ILEf7h0i');
    expect(bcryptWithSalt('U*U', 'CCCCCCCCCCCCCCCCCCCCC.', 5)).to.equal('$2a$05$CCCCCCCCCCCCCCCCCCCCC.E5YPO9kmyuRGyh0XouQYb4YMJKvyOeW');
  });

  it('buildCustomCert refuses what is not a PEM certificate', () => {
    expect(failure('{{ buildCustomCert (b64enc "x") (b64enc "y") }}')).to.equal('error calling buildCustomCert: unable to decode certificate');
  });
});
