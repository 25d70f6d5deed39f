// The Secrets KubeOne's credentials.Ensure writes (pkg/credentials/secret.go), as the objects of
// the cloud-credentials addon, and the cloudConfig rendered with the CCM credentials.
import { expect } from 'chai';
import { applyDefaults } from '../api/defaults.js';
import type { KubeOneCluster } from '../api/types.js';
import { CLOUD_CONFIG_SECRET, CloudConfigError, credentialObjects, renderCloudConfig, withRenderedCloudConfig } from './cloud-credentials.js';
import { credentialsProblem } from './credentials-data.js';
import type { KubeObject } from './normalize.js';
import { PROVIDER_EXAMPLES } from './testing/providers.js';

const cluster = (cloudProvider: KubeOneCluster['cloudProvider'], extra: Partial<KubeOneCluster> = {}): KubeOneCluster =>
  applyDefaults({ apiVersion: 'kubeone.k8c.io/v1beta2', kind: 'KubeOneCluster', name: 'c1', versions: { kubernetes: '1.35.1' }, cloudProvider, controlPlane: { hosts: [{ publicAddress: '192.0.2.1', privateAddress: '10.0.0.1' }] }, ...extra });

/** Secret name -> decoded data. */
function secrets(objects: KubeObject[]): Record<string, Record<string, string>> {
  return Object.fromEntries(
    objects.map((o) => {
      expect(o).to.deep.include({ apiVersion: 'v1', kind: 'Secret', type: 'Opaque' });
      const data = Object.fromEntries(Object.entries(o.data as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
      return [(o.metadata as { name: string; namespace: string }).name, data];
    }),
  );
}

describe('credential Secrets (credentials.Ensure)', () => {
  it('hetzner: the CCM Secret under machine-controller\'s names, and machine-controller\'s and OSM\'s (deployed by default, as KubeOne)', () => {
    const ex = PROVIDER_EXAMPLES.hetzner;
    const got = secrets(credentialObjects(cluster(ex.cloudProvider), { file: ex.credentials, env: {} }));
    expect(got).to.deep.equal({
      'kubeone-machine-controller-credentials': { HZ_TOKEN: 'example-hcloud-token-0123456789' },
      'kubeone-operating-system-manager-credentials': { HZ_TOKEN: 'example-hcloud-token-0123456789' },
      'kubeone-ccm-credentials': { HZ_TOKEN: 'example-hcloud-token-0123456789' },
    });
  });

  it('no machine-controller Secrets with machineController.deploy: false', () => {
    const ex = PROVIDER_EXAMPLES.digitalocean;
    const got = secrets(credentialObjects(cluster(ex.cloudProvider, { machineController: { deploy: false } }), { file: ex.credentials, env: {} }));
    expect(Object.keys(got)).to.deep.equal(['kubeone-ccm-credentials']);
    expect(got['kubeone-ccm-credentials']).to.deep.equal({ DO_TOKEN: 'example-digitalocean-token' });
  });

  it('the CCM_ variant wins for the CCM Secret, the plain one for machine-controller', () => {
    const got = secrets(credentialObjects(cluster({ hetzner: {} }), { file: { HCLOUD_TOKEN: 'plain', CCM_HCLOUD_TOKEN: 'for-the-ccm' }, env: {} }));
    expect(got['kubeone-ccm-credentials']).to.deep.equal({ HZ_TOKEN: 'for-the-ccm' });
    expect(got['kubeone-machine-controller-credentials']).to.deep.equal({ HZ_TOKEN: 'plain' });
  });

  it('vsphere: vsphere-ccm-credentials keyed by the vCenter host (scheme and trailing slash stripped), the cloud-config Secret', () => {
    const ex = PROVIDER_EXAMPLES.vsphere;
    const got = secrets(credentialObjects(cluster(ex.cloudProvider, { machineController: { deploy: false } }), { file: { ...ex.credentials, VSPHERE_SERVER: 'vcenter.example/' }, env: {} }));
    expect(got['vsphere-ccm-credentials']).to.deep.equal({ 'vcenter.example.username': 'administrator@vsphere.local', 'vcenter.example.password': 'example-vsphere-password' });
    expect(got[CLOUD_CONFIG_SECRET]!['cloud-config']).to.equal(ex.cloudProvider.cloudConfig);
    expect(got).to.not.have.property('kubeone-ccm-credentials');
  });

  it('openstack: the cloud-config Secret is cloudConfig rendered with the credentials', () => {
    const ex = PROVIDER_EXAMPLES.openstack;
    const got = secrets(credentialObjects(cluster(ex.cloudProvider, { machineController: { deploy: false } }), { file: ex.credentials, env: {} }));
    expect(got[CLOUD_CONFIG_SECRET]!['cloud-config']).to.contain('password = "example-openstack-password"\n').and.contain('auth-url = "https://keystone.example:5000/v3"');
    expect(got['kubeone-ccm-credentials']).to.include({ OS_PASSWORD: 'example-openstack-password', OS_REGION_NAME: 'os-region-1' });
  });

  it('aws: the generated cloud-config ([global] KubernetesClusterID)', () => {
    const ex = PROVIDER_EXAMPLES.aws;
    const got = secrets(credentialObjects(cluster(ex.cloudProvider, { machineController: { deploy: false } }), { file: ex.credentials, env: {} }));
    expect(got[CLOUD_CONFIG_SECRET]).to.deep.equal({ 'cloud-config': '[global]\nKubernetesClusterID="c1"\nNodeIPFamilies="ipv4"\n' });
  });

  it('kubevirt: the kubeconfig as given (trimmed, as KubeOne reads every variable) in kubeone-ccm-credentials (KubeOne\'s external branch)', () => {
    const ex = PROVIDER_EXAMPLES.kubevirt;
    const got = secrets(credentialObjects(cluster(ex.cloudProvider, { machineController: { deploy: false } }), { file: ex.credentials, env: {} }));
    expect(got['kubeone-ccm-credentials']).to.deep.equal({ KUBEVIRT_KUBECONFIG: ex.credentials.KUBEVIRT_KUBECONFIG!.trim() });
  });

  it('gce: machine-controller gets the service account base64-encoded once more', () => {
    const ex = PROVIDER_EXAMPLES.gce;
    const got = secrets(credentialObjects(cluster(ex.cloudProvider), { file: ex.credentials, env: {} }));
    expect(got['kubeone-ccm-credentials']).to.deep.equal({ GOOGLE_SERVICE_ACCOUNT: ex.credentials.GOOGLE_CREDENTIALS });
    expect(Buffer.from(got['kubeone-machine-controller-credentials']!.GOOGLE_SERVICE_ACCOUNT!, 'base64').toString()).to.equal(ex.credentials.GOOGLE_CREDENTIALS);
  });

  it('VMware Cloud Director (not external): no CCM Secret', () => {
    const ex = PROVIDER_EXAMPLES.vmwareCloudDirector;
    expect(credentialObjects(cluster(ex.cloudProvider, { machineController: { deploy: false } }), { file: ex.credentials, env: {} })).to.deep.equal([]);
  });

  it('none, or secretProviderClassName: nothing (KubeOne skips credentials.Ensure)', () => {
    expect(credentialObjects(cluster({ none: {} }), { file: {}, env: {} })).to.deep.equal([]);
    const ex = PROVIDER_EXAMPLES.hetzner;
    expect(credentialObjects(cluster({ ...ex.cloudProvider, secretProviderClassName: 'vault' }), { file: ex.credentials, env: {} })).to.deep.equal([]);
  });
});

describe('cloudConfig rendered with the CCM credentials', () => {
  it('.Credentials holds the CCM credentials under machine-controller\'s names; a missing key is <no value>, as Go', () => {
    expect(renderCloudConfig('id={{ .Credentials.AZURE_CLIENT_ID }} x={{ .Credentials.NOPE }}', { AZURE_CLIENT_ID: 'abc' })).to.equal('id=abc x=<no value>');
  });

  it('only Go\'s builtins: a sprig function is a parse error naming cloudConfig', () => {
    expect(() => renderCloudConfig('{{ upper "x" }}', {})).to.throw(CloudConfigError, /cloudProvider\.cloudConfig: template: cloudConfig:1: function "upper" not defined/);
  });

  it('templates see the rendered cloudConfig (their hash annotations follow it); not with secretProviderClassName', () => {
    const ex = PROVIDER_EXAMPLES.openstack;
    const rendered = withRenderedCloudConfig(cluster(ex.cloudProvider), { file: ex.credentials, env: {} });
    expect(rendered.cloudProvider!.cloudConfig).to.contain('example-openstack-password');
    const withStore = withRenderedCloudConfig(cluster({ ...ex.cloudProvider, secretProviderClassName: 'vault' }), { file: ex.credentials, env: {} });
    expect(withStore.cloudProvider!.cloudConfig).to.equal(ex.cloudProvider.cloudConfig);
  });
});

describe('validateCredentials (KubeOne pkg/cmd/shared.go)', () => {
  const problem = (c: KubeOneCluster, file: Record<string, string>, env: NodeJS.ProcessEnv = {}) => credentialsProblem(c, { file, env })?.message ?? null;

  for (const [provider, ex] of Object.entries(PROVIDER_EXAMPLES)) {
    it(`${provider}: the example credentials pass; none of them fails with the provider's first missing variable`, () => {
      expect(problem(cluster(ex.cloudProvider), ex.credentials)).to.equal(null);
      const message = problem(cluster(ex.cloudProvider), {});
      expect(message).to.match(/^credentials \(/);
      expect(message).to.match(/AWS_PROFILE|[A-Z]+_[A-Z_]+/);
    });
  }

  it('the messages name the variables, never the values', () => {
    const message = problem(cluster({ vmwareCloudDirector: {} }), { ...PROVIDER_EXAMPLES.vmwareCloudDirector.credentials, VCD_API_TOKEN: 'token-value-1234' })!;
    expect(message).to.equal('credentials (VMware Cloud Director): validating: both api token (VCD_API_TOKEN) and user credentials (VCD_USER VCD_PASSWORD) found');
    expect(message).to.not.contain('token-value-1234').and.not.contain('example-vcd-password');
  });

  it('component variables alone are enough (CCM_ and MC_ prefixes), one alone is not (even without machine-controller: rendering needs both)', () => {
    const c = cluster({ hetzner: {} });
    expect(problem(c, { CCM_HCLOUD_TOKEN: 'a', MC_HCLOUD_TOKEN: 'b' })).to.equal(null);
    expect(problem(c, { CCM_HCLOUD_TOKEN: 'a' })).to.equal("credentials (Hetzner): validating: key HCLOUD_TOKEN is required but isn't present");
    expect(problem(cluster({ hetzner: {} }, { machineController: { deploy: false } }), { CCM_HCLOUD_TOKEN: 'a' })).to.match(/HCLOUD_TOKEN is required/);
  });

  it('openstack: application credentials or user credentials, not both', () => {
    const base = { OS_AUTH_URL: 'https://k', OS_REGION_NAME: 'r' };
    const c = cluster(PROVIDER_EXAMPLES.openstack.cloudProvider);
    expect(problem(c, { ...base, OS_APPLICATION_CREDENTIAL_ID: 'i', OS_APPLICATION_CREDENTIAL_SECRET: 's' })).to.equal(null);
    expect(problem(c, { ...base, OS_APPLICATION_CREDENTIAL_ID: 'i', OS_APPLICATION_CREDENTIAL_SECRET: 's', OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_DOMAIN_NAME: 'd' })).to.match(/both app credentials/);
    expect(problem(c, { ...base, OS_USERNAME: 'u', OS_PASSWORD: 'p', OS_DOMAIN_NAME: 'd' })).to.match(/OS_TENANT_ID or OS_TENANT_NAME/);
  });

  it('equinixmetal: METAL_ or the former PACKET_ variables, in pairs', () => {
    const c = cluster({ equinixmetal: {} });
    expect(problem(c, { PACKET_API_KEY: 'k', PACKET_PROJECT_ID: 'p' })).to.equal(null);
    expect(problem(c, { METAL_AUTH_TOKEN: 'k' })).to.match(/both METAL_AUTH_TOKEN and METAL_PROJECT_ID/);
  });

  it('aws: a profile of the shared credentials file when the keys are not set', () => {
    expect(problem(cluster({ aws: {} }), {}, { AWS_PROFILE: 'ops', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' })).to.match(/credentials \(AWS\): loading default config: \/nonexistent\/credentials: ENOENT/);
  });

  it('none: nothing is required', () => {
    expect(problem(cluster({ none: {} }), {})).to.equal(null);
  });
});
