// Each field of KubeOne's templateData, read through a template as a KubeOne addon would.
// Expectations come from KubeOne 1.14's behaviour (pkg/addons/applier.go, pkg/credentials,
// pkg/templates/images, pkg/apis/kubeone helpers).
import { expect } from 'chai';
import { X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KubeOneCluster } from '../api/types.js';
import type { ClusterCA } from './certificates.js';
import { withAddonDefaults } from './config-view.js';
import { baseTemplateData, templateData } from './template-data.js';
import { addonFuncs } from './template/funcs.js';
import { renderTemplate } from './template/index.js';
import { loadedCluster, makeCA } from './testing/fixtures.js';

interface Opts {
  cluster?: Partial<KubeOneCluster>;
  credentials?: Record<string, string>;
  env?: NodeJS.ProcessEnv;
  ca?: ClusterCA | null;
  now?: Date;
  params?: Record<string, string>;
}

function render(src: string, o: Opts = {}): string {
  const loaded = loadedCluster(o.cluster ?? {}, o.credentials ?? {});
  const cluster = withAddonDefaults(loaded.cluster);
  const base = baseTemplateData({ loaded, cluster, env: o.env ?? {}, clusterCA: o.ca ?? null, now: o.now ?? new Date('2026-03-01T00:00:00Z') });
  const funcs = addonFuncs({ overwriteRegistry: cluster.registryConfiguration?.overwriteRegistry ?? '', caBundle: cluster.certificateAuthority?.bundle ?? '', env: o.env ?? {} });
  return renderTemplate('t.yaml', src, templateData(base, o.params ?? {}), funcs);
}

describe('template data (KubeOne templateData)', () => {
  describe('.Config', () => {
    it('has the internal API shape: Go names, bool KubeProxyReplacement, AddonRefs, hosts with IDs', () => {
      const cluster: Partial<KubeOneCluster> = {
        clusterNetwork: { cni: { cilium: { kubeProxyReplacement: 'strict' } }, kubeProxy: { skipInstallation: true } },
        addons: { path: './addons', addons: [{ name: 'a1', params: { k: 'v' } }, { name: 'a2' }] },
        helmReleases: [{ chart: 'c', namespace: 'ns', repoURL: 'https://charts.example' }],
        controlPlane: { hosts: [{ publicAddress: '10.0.0.1', hostname: 'cp1' }, { publicAddress: '10.0.0.2', hostname: 'cp2' }] },
        staticWorkers: { hosts: [{ publicAddress: '10.0.0.3', hostname: 'w1' }] },
      };
      expect(render('{{ .Config.ClusterNetwork.CNI.Cilium.KubeProxyReplacement }} {{ typeOf .Config.ClusterNetwork.CNI.Cilium.KubeProxyReplacement }}', { cluster })).to.equal('true bool');
      expect(render('{{ range .Config.Addons.DeclaredAddonsOnly }}{{ .Name }}:{{ .Params }};{{ end }} {{ range .Config.Addons.OnlyHelmReleases }}{{ .Chart }}/{{ .Namespace }} {{ .WaitTimeout }}{{ end }} {{ .Config.Addons.Enabled }}', { cluster })).to.equal(
        'a1:map[k:v];a2:map[]; c/ns 5m0s true',
      );
      expect(render('{{ range .Config.ControlPlane.Hosts }}{{ .ID }}{{ .Hostname }}{{ .IsLeader }} {{ end }}{{ (index .Config.StaticWorkers.Hosts 0).ID }} {{ .Config.Leader.Hostname }} {{ len .Config.Followers }} {{ .Config.IsManagedNode "w1" }} {{ .Config.IsManagedNode "x" }}', { cluster })).to.equal(
        '0cp1true 1cp2false 2 cp1 1 true false',
      );
    });

    it('has every field even when the manifest leaves it out (Proxy is a struct, not a nil pointer)', () => {
      expect(render('[{{ .Config.Proxy.HTTP }}][{{ .Config.Proxy.NoProxy }}] {{ toJson .Config.Proxy }} {{ .Config.CABundle | len }} {{ .Config.CertificateAuthority.Bundle | len }}')).to.equal('[][] {} 0 0');
      expect(render('{{ toJson .Config.Proxy }}', { cluster: { proxy: { http: 'http://proxy:3128' } } })).to.equal(
        '{"http":"http://proxy:3128","noProxy":"127.0.0.1/8,localhost,cluster.local,10.244.0.0/16,10.96.0.0/12"}',
      );
    });

    it("has KubeOne's methods", () => {
      const cluster: Partial<KubeOneCluster> = {
        registryConfiguration: { overwriteRegistry: 'mirror.local:5000', insecureRegistry: true },
        containerRuntime: {
          containerd: {
            registries: {
              'docker.io': { mirrors: ['https://mirror.local'], auth: { username: 'u', password: 'p' } },
              'quay.io': { tlsConfig: { insecureSkipVerify: true } },
            },
          },
        },
        clusterNetwork: { ipFamily: 'IPv4+IPv6' },
        cloudProvider: { hetzner: {}, external: true },
      };
      const credentials = { HCLOUD_TOKEN: 't' };
      expect(render('{{ .Config.RegistryConfiguration.InsecureRegistryAddress }} {{ .Config.RegistryConfiguration.ImageRegistry "registry.k8s.io" }} {{ .Config.AssetConfiguration.Kubernetes.ImageRepository }}', { cluster, credentials })).to.equal(
        'mirror.local:5000 mirror.local:5000 mirror.local:5000',
      );
      expect(render('{{ range .Config.ContainerRuntime.MachineControllerFlags }}{{ . }}\n{{ end }}', { cluster, credentials })).to.equal(
        '-node-containerd-registry-mirrors=docker.io=https://mirror.local\n-node-registry-credentials-secret=kube-system/kubeone-registry-credentials\n-node-insecure-registries=quay.io\n',
      );
      expect(render('{{ .Config.ClusterNetwork.HasIPv4 }} {{ .Config.ClusterNetwork.HasIPv6 }} {{ .Config.ClusterNetwork.IPFamily.IsDualstack }} {{ .Config.ClusterNetwork.IPFamily.IsIPv6Primary }}', { cluster, credentials })).to.equal('true true true false');
      expect(render('{{ .Config.CloudProvider.CloudProviderName }} {{ .Config.CloudProvider.MachineControllerCloudProvider }} {{ .Config.CloudProvider.External }}', { cluster, credentials })).to.equal('hetzner hetzner true');
      expect(render('{{ .Config.ClusterNetwork.NthServiceSubnetIP 10 }} {{ .Config.ClusterNetwork.NthServiceSubnetIP 1 }}', { cluster: { clusterNetwork: { serviceSubnet: '172.16.255.250/16' } } })).to.equal('172.16.0.10 172.16.0.1');
    });
  });

  describe('.Certificates', () => {
    const ca = makeCA();
    const caCert = new X509Certificate(ca.cert);

    it('are serving certificates for the webhook and metrics-server Services, signed by the cluster CA', () => {
      const out = render('{{ .Certificates.MetricsServerCert }}|{{ .Certificates.MetricsServerKey }}|{{ .Certificates.KubernetesCA }}', { ca });
      const [certPem, keyPem, caPem] = out.split('|') as [string, string, string];
      const cert = new X509Certificate(certPem);
      expect(cert.verify(caCert.publicKey)).to.equal(true);
      expect(cert.checkIssued(caCert)).to.equal(true);
      expect(cert.subject).to.equal('CN=metrics-server.kube-system.svc');
      expect(cert.subjectAltName).to.equal('DNS:metrics-server.kube-system.svc.cluster.local, DNS:metrics-server.kube-system.svc');
      expect(keyPem).to.match(/^-----BEGIN RSA PRIVATE KEY-----\n/);
      expect(createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'pem' })).to.equal(cert.publicKey.export({ type: 'spki', format: 'pem' }));
      expect((createPrivateKey(keyPem).asymmetricKeyDetails?.modulusLength)).to.equal(2048);
      expect(caPem).to.equal(ca.cert);
      // openssl agrees: the chain verifies for TLS server use.
      const dir = mkdtempSync(join(tmpdir(), 'certs-'));
      writeFileSync(join(dir, 'ca.pem'), ca.cert);
      writeFileSync(join(dir, 'cert.pem'), certPem);
      const at = String(new Date('2026-03-01T00:00:00Z').getTime() / 1000);
      expect(execFileSync('openssl', ['verify', '-attime', at, '-purpose', 'sslserver', '-CAfile', join(dir, 'ca.pem'), join(dir, 'cert.pem')]).toString()).to.contain(': OK');
    });

    it('are the same on every run with the same CA (plans stay empty), renewed every 180 days', () => {
      const src = '{{ .Certificates.MachineControllerWebhookCert }}{{ .Certificates.MachineControllerWebhookKey }}';
      const a = render(src, { ca, now: new Date('2026-03-01T00:00:00Z') });
      const b = render(src, { ca, now: new Date('2026-03-02T00:00:00Z') });
      expect(a).to.equal(b);
      const later = render(src, { ca, now: new Date('2026-12-01T00:00:00Z') });
      expect(later).to.not.equal(a);
      const cert = new X509Certificate(later.slice(0, later.indexOf('-----BEGIN RSA')));
      expect(new Date(cert.validFrom).getTime()).to.be.at.most(new Date('2026-12-01T00:00:00Z').getTime());
      expect(new Date(cert.validTo).getTime() - new Date('2026-12-01T00:00:00Z').getTime()).to.be.at.least(185 * 86_400_000 - 86_400_000);
      // The key does not change with the renewal.
      expect(later.slice(later.indexOf('-----BEGIN RSA'))).to.equal(a.slice(a.indexOf('-----BEGIN RSA')));
    });

    it('have the OSM webhook certificate only when OSM is deployed, and KubeOne\'s key names', () => {
      // .Certificates is a map[string]string: sprig's keys (map[string]interface{}) would refuse it, range does not.
      expect(render('{{ range $k, $v := .Certificates }}{{ $k }},{{ end }}', { ca }).replace(/,$/, '')).to.equal(
        'CSIWebhookCert,CSIWebhookKey,KubernetesCA,MachineControllerWebhookCert,MachineControllerWebhookKey,MetricsServerCert,MetricsServerKey',
      );
      const osm = { cloudProvider: { hetzner: {} }, operatingSystemManager: { deploy: true }, machineController: { deploy: true } };
      const out = render('{{ hasKey (dict "k" .Certificates.OSMWebhookCert) "k" }} {{ (index .Certificates "OSMWebhookCert") | len | lt 100 }}', { ca, cluster: osm, credentials: { HCLOUD_TOKEN: 't' } });
      expect(out).to.equal('true true');
      const cert = new X509Certificate(render('{{ .Certificates.OSMWebhookCert }}', { ca, cluster: osm, credentials: { HCLOUD_TOKEN: 't' } }));
      expect(cert.subject).to.equal('CN=operating-system-manager-webhook.kube-system.svc');
    });

    it('wait for the cluster when there is no CA yet', () => {
      expect(render('{{ .Certificates.MetricsServerCert }}')).to.equal('(issued by the cluster CA when the cluster exists)');
    });
  });

  describe('credentials', () => {
    it('.Credentials holds the provider variables KubeOne knows, from the file first, then the environment', () => {
      const out = render('{{ range $k, $v := .Credentials }}{{ $k }},{{ end }} {{ .Credentials.HCLOUD_TOKEN }} {{ .Credentials.METAL_AUTH_TOKEN }}', {
        credentials: { HCLOUD_TOKEN: 'from-file', WEIRD_KEY: 'x', PACKET_API_KEY: 'pk' },
        env: { HCLOUD_TOKEN: 'from-env', DIGITALOCEAN_TOKEN: 'do' },
      });
      expect(out).to.equal('DIGITALOCEAN_TOKEN,HCLOUD_TOKEN,METAL_AUTH_TOKEN,PACKET_API_KEY, from-file pk');
    });

    it('.CustomCredentials is the customSecrets map', () => {
      expect(render('{{ .CustomCredentials.A }}-{{ .CustomCredentials.B }}', { credentials: { customSecrets: 'A: one\nB: "2"\n' } })).to.equal('one-2');
    });

    it('.CredentialsCCM (CCM_ variables win), its hash, and the machine-controller env bindings and hash', () => {
      const cluster: Partial<KubeOneCluster> = { cloudProvider: { hetzner: {}, external: true }, machineController: { deploy: true } };
      const credentials = { HCLOUD_TOKEN: 'general', CCM_HCLOUD_TOKEN: 'ccm-only' };
      const out = render('{{ .CredentialsCCM }} {{ .CredentialsCCMHash }} {{ .MachineControllerCredentialsHash }}', { cluster, credentials });
      const hash = (s: string): string => createHash('sha256').update(s).digest('hex');
      expect(out).to.equal(`map[HZ_TOKEN:ccm-only] ${hash('kubeone-hetznerHZ_TOKENccm-only')} ${hash('kubeone-hetznerHZ_TOKENgeneral')}`);
      expect(render('{{ .MachineControllerCredentialsEnvVars }}', { cluster, credentials })).to.equal(
        '- name: HZ_TOKEN\n  valueFrom:\n    secretKeyRef:\n      key: HZ_TOKEN\n      name: kubeone-machine-controller-credentials\n',
      );
      expect(render('{{ .OperatingSystemManagerEnabled }} [{{ .OperatingSystemManagerCredentialsEnvVars }}]', { cluster: { ...cluster, operatingSystemManager: { deploy: false } }, credentials })).to.equal('false []');
    });

    it('refuses to render without the provider credentials KubeOne requires', () => {
      expect(() => render('x', { cluster: { cloudProvider: { hetzner: {} } } })).to.throw("credentials (Hetzner): validating: key HCLOUD_TOKEN is required but isn't present");
    });

    it('.RegistryCredentials lists registries with auth under their host and their mirrors\' hosts', () => {
      const cluster: Partial<KubeOneCluster> = {
        containerRuntime: { containerd: { registries: { 'docker.io/library': { mirrors: ['https://m1.local:5000/path'], auth: { username: 'u', password: 'p' } }, 'quay.io': {} } } },
      };
      expect(render('{{ range .RegistryCredentials }}{{ .RegistryName }}={{ .Auth.Username }};{{ end }}', { cluster })).to.equal('docker.io=u;m1.local:5000=u;');
    });
  });

  describe('other fields', () => {
    it('.CCMClusterName, .CalicoIptablesBackend, .DeployCSIAddon, .SnapshotterWebhookFailurePolicy', () => {
      expect(render('{{ .CCMClusterName }} {{ .CalicoIptablesBackend }} {{ .DeployCSIAddon }} {{ .SnapshotterWebhookFailurePolicy }}')).to.equal('sandbox Auto false Ignore');
      const flatcar: Partial<KubeOneCluster> = { controlPlane: { hosts: [{ publicAddress: '10.0.0.1', operatingSystem: 'flatcar' }] }, cloudProvider: { hetzner: {} } };
      expect(render('{{ .CalicoIptablesBackend }} {{ .DeployCSIAddon }} {{ .SnapshotterWebhookFailurePolicy }}', { cluster: flatcar, credentials: { HCLOUD_TOKEN: 't' }, ca: makeCA() })).to.equal('NFT true Fail');
    });

    it('.Resources has KubeOne\'s names and addresses', () => {
      expect(render('{{ range $k, $v := .Resources }}{{ $k }}={{ $v }}\n{{ end }}')).to.equal(
        [
          'CABundleSSLCertFilePath=/etc/kubeone/certs/ca-certificates.crt',
          'CiliumNodeLocalDNSVirtualIP=169.254.20.10,10.96.0.10',
          'KubeletImageRepository=quay.io/kubermatic/kubelet',
          'MachineControllerName=machine-controller',
          'MachineControllerNameSpace=kube-system',
          'MachineControllerWebhookName=machine-controller-webhook',
          'NodeLocalDNSVirtualIP=169.254.20.10',
          'OperatingSystemManagerName=operating-system-manager',
          'OperatingSystemManagerNamespace=kube-system',
          'OperatingSystemManagerWebhookName=operating-system-manager-webhook',
          '',
        ].join('\n'),
      );
    });

    it('.InternalImages.Get resolves KubeOne\'s image table for the Kubernetes version', () => {
      const get = (name: string, version = '1.35.1', overwrite?: string): string =>
        render(`{{ .InternalImages.Get ${JSON.stringify(name)} }}`, { cluster: { versions: { kubernetes: version }, ...(overwrite ? { registryConfiguration: { overwriteRegistry: overwrite } } : {}) } });
      expect(get('CalicoNode')).to.equal('quay.io/calico/node:v3.32.0');
      expect(get('Cilium')).to.equal('quay.io/cilium/cilium:v1.19.6');
      expect(get('DigitalOceanCSIAlpine')).to.equal('docker.io/library/alpine:3');
      expect(get('BackupResticSnapshotter')).to.equal('registry.k8s.io/etcd:3.5.32-0');
      expect(get('ClusterAutoscaler', '1.34.2')).to.equal('registry.k8s.io/autoscaling/cluster-autoscaler:v1.34.3');
      expect(get('ClusterAutoscaler', '1.35.0')).to.equal('registry.k8s.io/autoscaling/cluster-autoscaler:v1.35.0');
      expect(get('AzureCCM', '1.36.0')).to.equal('mcr.microsoft.com/oss/v2/kubernetes/azure-cloud-controller-manager:v1.36.1');
      expect(get('HubbleUI', '1.35.1', '127.0.0.1:5000')).to.equal('127.0.0.1:5000/cilium/hubble-ui:v0.13.5');
      expect(get('PauseImage', '1.35.1', '127.0.0.1:5000')).to.match(/^127\.0\.0\.1:5000\/pause:3\.10/);
      expect(() => get('NoSuchImage')).to.throw('error calling Get: image lookup "NoSuchImage": no such resource');
    });

    it('.Params: globalParams, the credentials file\'s addonParams, the addon\'s params, env:', () => {
      // Params are per addon; see the renderer tests for the merge across sources.
      expect(render('{{ .Params.a }} {{ .Params.missing }}', { params: { a: '1' } })).to.equal('1 <no value>');
    });
  });
});
