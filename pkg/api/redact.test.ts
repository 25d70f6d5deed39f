import { expect } from 'chai';
import fc from 'fast-check';
import { PassThrough } from 'node:stream';
import { stringify } from 'yaml';
import { renderAddons, SENSITIVE } from '../addons/render.js';
import { liveFacts } from '../addons/apply.js';
import { loadedCluster, memoryFiles } from '../addons/testing/fixtures.js';
import { nodeFiles } from '../addons/files.js';
import { redactText as redactStepError } from '../executor/retry.js';
import { createLogger } from '../log/logger.js';
import { base64Fragment, clearRegisteredSecrets, redactText, registerSecrets, SecretSet } from '../log/redact.js';
import { collectSecrets, isSecretKey, redactBlob, redactCluster } from './redact.js';
import { baseCluster } from './testing/base-cluster.js';
import type { KubeOneCluster } from './types.js';

/** A custom addon `app` made of one ConfigMap whose data lines are given. */
const configMapAddon = (dataLines: string[]) =>
  memoryFiles({ '/cluster/addons/app/cm.yaml': ['apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: app}', 'data:', ...dataLines.map((l) => `  ${l}`)].join('\n') }, nodeFiles);

const dump = (c: KubeOneCluster, credentials: Record<string, string> = {}, env: Record<string, string> = {}): string =>
  stringify(redactCluster(c, collectSecrets({ cluster: c, credentials }, env)), { lineWidth: 0 });

describe('redaction by structure (config dump): what the issue found printed', () => {
  it('Helm inline values under keys like pass or api_key, as a map or as YAML text', () => {
    const c = baseCluster();
    c.helmReleases = [
      { chart: 'x', namespace: 'n', values: [{ inline: { db: { pass: 'hv-secret-1', api_key: 'hv-secret-2', replicas: 3 } } }, { inline: 'auth:\n  Pass: hv-secret-3\n  API_KEY: "hv-secret-4"\nimage: nginx\n' }] },
    ];
    const text = dump(c);
    for (const s of ['hv-secret-1', 'hv-secret-2', 'hv-secret-3', 'hv-secret-4']) expect(text).to.not.include(s);
    expect(text).to.include('nginx').and.include('replicas: 3');
  });

  it('cloud credentials inside dynamicWorkers (hcloud token, GCE service account)', () => {
    const c = baseCluster();
    c.dynamicWorkers = [
      { name: 'h', replicas: 1, providerSpec: { cloudProviderSpec: { token: 'hcloud-tok-123456', serverType: 'cx22' } } },
      { name: 'g', replicas: 1, providerSpec: { cloudProviderSpec: { serviceAccount: 'eyJ0eXBlIjoic2VydmljZV9hY2NvdW50In0=', zone: 'europe-west3-a' } } },
    ];
    const text = dump(c);
    expect(text).to.not.include('hcloud-tok-123456').and.not.include('eyJ0eXBlIjoic2VydmljZV9hY2NvdW50In0=');
    expect(text).to.include('cx22').and.include('europe-west3-a');
  });

  it('upper-case secret names in addons.globalParams', () => {
    const c = baseCluster();
    c.addons = { globalParams: { HCLOUD_TOKEN: 'gp-token-1', AWS_SECRET_ACCESS_KEY: 'gp-secret-2', REGION: 'eu-central-1' } };
    const text = dump(c);
    expect(text).to.not.include('gp-token-1').and.not.include('gp-secret-2');
    expect(text).to.include('eu-central-1');
  });

  it('passwords in URLs (user:pass@)', () => {
    const c = baseCluster();
    c.proxy = { http: 'http://proxyuser:Pr0xy%21pw@proxy.corp:3128' };
    const text = dump(c);
    expect(text).to.not.include('Pr0xy%21pw').and.not.include('Pr0xy!pw');
    expect(text).to.include('http://proxyuser:[REDACTED]@proxy.corp:3128');
  });

  it('block-scalar secrets and cloudConfig secrets after the first space', () => {
    const c = baseCluster();
    c.cloudProvider = { none: {}, cloudConfig: '[Global]\nusername = admin\npassword = my secret pass\nregion = RegionOne\n' };
    c.features = { encryptionProviders: { enable: true, customEncryptionConfiguration: 'resources:\n- providers:\n  - secretbox:\n      keys:\n      - name: key1\n        secret: |\n          c2VjcmV0LWJsb2NrLXNjYWxhcg==\n          second-line-of-it\n      other: visible\n' } };
    const text = dump(c);
    for (const s of ['my secret pass', 'secret pass', 'c2VjcmV0LWJsb2NrLXNjYWxhcg==', 'second-line-of-it']) expect(text).to.not.include(s);
    expect(text).to.include('admin').and.include('RegionOne').and.include('other: visible');
  });

  it('JSON cloud configs, registry and Helm credentials, private keys', () => {
    const c = baseCluster();
    c.cloudProvider = { none: {}, cloudConfig: '{"tenantId":"t","aadClientSecret":"pw\\"5x","nested":{"Password":"pw6xx"}}' };
    c.containerRuntime = { containerd: { registries: { 'r.io': { auth: { username: 'u', password: 'pw1xx', auth: 'dXNlcjpwdw==', identityToken: 'tok1x' } } } } };
    c.helmReleases = [{ chart: 'x', namespace: 'n', auth: { username: 'u', password: 'pw2xx' } }];
    c.cloudProvider.csiConfig = '-----BEGIN RSA PRIVATE KEY-----\nMIIBOgIBAAJBAKj34GkxFhD90vcNLYLInFEX6Ppy1tPf9Cnzj4p4WGeKLs1Pt8Qu\n-----END RSA PRIVATE KEY-----\n';
    const text = dump(c);
    for (const s of ['pw\\"5x', 'pw"5x', 'pw6xx', 'pw1xx', 'dXNlcjpwdw==', 'tok1x', 'pw2xx', 'MIIBOgIBAAJBAKj34']) expect(text).to.not.include(s);
    expect(text).to.include('tenantId');
  });

  it('keys: any case and separator; names, files and URLs of secrets are not secrets', () => {
    for (const k of ['password', 'Password', 'PASS', 'api_key', 'apiKey', 'X-Api-Key', 'HCLOUD_TOKEN', 'aadClientSecret', 'clientSecret', 'identityToken', 'auth', 'serviceAccount', 'privateKey', 'AWS_SECRET_ACCESS_KEY', 'AWS_ACCESS_KEY_ID', 'resticPassword', 'secret']) {
      expect(isSecretKey(k), k).to.equal(true);
    }
    for (const k of ['key', 'keys', 'sshPublicKeys', 'sshHostPublicKey', 'sshPrivateKeyFile', 'secretProviderClassName', 'serviceAccountName', 'authorization-mode', 'OS_AUTH_URL', 'username', 'passthrough', 'bypass', 'author', 'tokenTTL', 'service-account-issuer']) {
      expect(isSecretKey(k), k).to.equal(false);
    }
  });

  it('blob lines: INI to the end of the line, YAML block scalars, JSON strings', () => {
    expect(redactBlob('password = a b c\nuser = x\n')).to.equal('password = [REDACTED]\nuser = x\n');
    expect(redactBlob('token: |\n  l1\n  l2\nnext: y\n')).to.equal('token: [REDACTED]\nnext: y\n');
    expect(redactBlob('{"a":"1","clientSecret":"s\\"x"}')).to.equal('{"a":"1","clientSecret":"[REDACTED]"}');
  });
});

describe('redaction by value: env: params and credentials in plans and snapshots, in every encoding', () => {
  afterEach(() => clearRegisteredSecrets());

  it('rendered addon objects mask env:-sourced params and base64 or JSON-escaped credentials', () => {
    const files = configMapAddon([
      'fromEnv: {{ .Params.fromEnv | quote }}',
      'b64: {{ .Credentials.HCLOUD_TOKEN | b64enc | quote }}',
      'wrapped: {{ printf "Bearer-%s-end" .Credentials.HCLOUD_TOKEN | b64enc | quote }}',
      'json: {{ toJson .Params.fromEnv | quote }}',
      'plain: "visible"',
    ]);
    const loaded = loadedCluster({ addons: { path: './addons', addons: [{ name: 'app', params: { fromEnv: 'env:APP_DB_PASSWORD' } }] } }, { HCLOUD_TOKEN: 'hc-T0ken"with-quote' });
    const out = renderAddons({ loaded, files, env: { APP_DB_PASSWORD: 'env-pw-"quoted"' } });
    const data = out.find((a) => a.name === 'app')!.objects[0]!.object!.data as Record<string, string>;
    expect(data).to.deep.equal({ fromEnv: SENSITIVE, b64: SENSITIVE, wrapped: SENSITIVE, json: SENSITIVE, plain: 'visible' });
  });

  it('a drifted live object (no rendered counterpart) is masked by the registered secrets', () => {
    registerSecrets(collectSecrets(loadedCluster({}, { OS_PASSWORD: 'live-Passw0rd' })));
    const secretB64 = Buffer.from('user:live-Passw0rd').toString('base64');
    const facts = liveFacts({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'default' }, data: { a: secretB64, b: 'ok' } });
    expect(JSON.stringify(facts)).to.not.include(secretB64).and.not.include('live-Passw0rd');
    expect((facts.object as { data: Record<string, string> }).data.b).to.equal('ok');
  });

  it('base64 fragments match the secret at every alignment', () => {
    const secret = Buffer.from('s3cr3t-value');
    for (const prefix of ['', 'a', 'ab', 'abc', 'user:']) {
      const encoded = Buffer.concat([Buffer.from(prefix), secret, Buffer.from('!tail')]).toString('base64');
      const fragment = base64Fragment(secret, prefix.length % 3);
      expect(encoded, prefix).to.include(fragment);
      expect(new SecretSet(['s3cr3t-value']).found(encoded), prefix).to.equal(true);
    }
  });

  it('a dictionary-word password masks the word, not longer words holding it', () => {
    const set = new SecretSet(['insecure']);
    expect(set.mask('password: insecure\ninsecureSkipVerify: true')).to.equal('password: [REDACTED]\ninsecureSkipVerify: true');
  });
});

/** Printable secrets with at least one non-letter (letters-only ones are matched as whole words). */
const secretArb = fc
  .string({ minLength: 8, maxLength: 40, unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.~!*()+,;=/?&%$# "\'\\:'.split('')) })
  .filter((s) => /[^A-Za-z]/.test(s) && s.trim() === s && !/^(true|false|\d+)$/i.test(s));

describe('redaction fuzz: no credential substring in any output', function () {
  this.timeout(120_000);
  afterEach(() => clearRegisteredSecrets());

  it('dump, rendered addons, logs and step errors never hold a secret, raw, escaped or base64', async () => {
    await fc.assert(
      fc.asyncProperty(secretArb, secretArb, secretArb, secretArb, secretArb, async (credential, envValue, registryPw, helmPw, cloudPw) => {
        clearRegisteredSecrets();
        const cluster: KubeOneCluster = {
          ...baseCluster(),
          cloudProvider: { none: {}, cloudConfig: `[Global]\nuser = admin\npassword = ${cloudPw}\n` },
          containerRuntime: { containerd: { registries: { 'r.io': { auth: { username: 'u', password: registryPw } } } } },
          helmReleases: [{ chart: 'x', namespace: 'ns', values: [{ inline: { db: { Pass: helmPw } } }] }],
          proxy: { http: `http://user:${encodeURIComponent(cloudPw)}@proxy:3128` },
          addons: { path: './addons', addons: [{ name: 'app', params: { fromEnv: 'env:FUZZ_SECRET' } }] },
        };
        const credentials = { OS_PASSWORD: credential };
        const env = { FUZZ_SECRET: envValue };
        const loaded = { ...loadedCluster(), cluster: { ...loadedCluster().cluster, ...cluster }, credentials };
        const secrets = [credential, envValue, registryPw, helmPw, cloudPw];
        registerSecrets(collectSecrets(loaded, env));

        const outputs: string[] = [];
        outputs.push(stringify(redactCluster(loaded.cluster, collectSecrets(loaded, env)), { lineWidth: 0 }));
        const files = configMapAddon([
          'a: {{ .Params.fromEnv | quote }}',
          'b: {{ .Credentials.OS_PASSWORD | b64enc | quote }}',
          'c: {{ printf "x%sy" .Credentials.OS_PASSWORD | quote }}',
          'd: {{ toJson .Params.fromEnv | b64enc | quote }}',
        ]);
        outputs.push(JSON.stringify(renderAddons({ loaded, files, env }).flatMap((a) => a.objects.map((o) => o.object))));
        const stream = new PassThrough();
        let logged = '';
        stream.on('data', (d) => (logged += String(d)));
        const log = createLogger({ format: 'json', stream });
        log.info(`connecting with ${credential} and ${envValue}`, { detail: { pw: registryPw, b64: Buffer.from(helmPw).toString('base64') } });
        await new Promise((r) => setImmediate(r));
        outputs.push(logged);
        outputs.push(redactStepError(`step failed: ${JSON.stringify({ password: cloudPw })} ${Buffer.from(`k=${credential}`).toString('base64')}`, []));
        outputs.push(redactText(`plan: ${encodeURIComponent(envValue)} ${JSON.stringify(helmPw)} ${new URLSearchParams({ q: credential }).toString()}`));

        for (const out of outputs) {
          for (const s of secrets) {
            expect(out, `output holds ${JSON.stringify(s)}`).to.not.include(s);
            expect(out).to.not.include(Buffer.from(s).toString('base64').replace(/=+$/, ''));
          }
        }
      }),
      { numRuns: 60 },
    );
  });
});
