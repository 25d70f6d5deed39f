// The machinecontroller and operating-system-manager addons against KubeOne 1.14's
// (addons/machinecontroller, addons/operating-system-manager, pkg/addons/ensure.go,
// pkg/addons/applier.go): when they are selected, the names, images, commands, flags, webhook
// paths and the serving certificates. Expected values are KubeOne's, written out here.
import { expect } from 'chai';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { KubeOneCluster } from '../api/types.js';
import type { ClusterCA } from './certificates.js';
import { fullObject, renderAddons } from './render.js';
import { loadedCluster, makeCA } from './testing/fixtures.js';
import { PROVIDER_EXAMPLES } from './testing/providers.js';

type Obj = Record<string, any>;
const CA_PEM = readFileSync(new URL('../ops/testing/testdata/ca.crt', import.meta.url), 'utf8');
const OPENSTACK = PROVIDER_EXAMPLES.openstack;

function render(extra: Partial<KubeOneCluster> = {}, opts: { ca?: ClusterCA; now?: Date } = {}) {
  const loaded = loadedCluster({ cloudProvider: structuredClone(OPENSTACK.cloudProvider), ...extra }, OPENSTACK.credentials);
  return renderAddons({ loaded, clusterCA: opts.ca ?? null, now: opts.now ?? new Date('2026-06-01T00:00:00Z') });
}

function objectsOf(addons: ReturnType<typeof render>, name: string): Obj[] {
  const a = addons.find((x) => x.name === name);
  expect(a, `${name} selected`).to.exist;
  return a!.objects.map((o) => fullObject(o) as Obj);
}

const find = (objs: Obj[], kind: string, name: string): Obj => {
  const o = objs.find((x) => x.kind === kind && x.metadata.name === name);
  expect(o, `${kind} ${name}`).to.exist;
  return o!;
};
const container = (d: Obj): Obj => d.spec.template.spec.containers[0];

describe('machine-controller and operating-system-manager addons', () => {
  describe('selection (KubeOne collectAddons)', () => {
    it('a cloud provider deploys both by default, after nodelocaldns and before the CSI and CCM addons', () => {
      const names = render().map((a) => a.name);
      expect(names.indexOf('machinecontroller')).to.be.greaterThan(names.indexOf('nodelocaldns'));
      expect(names.indexOf('operating-system-manager')).to.equal(names.indexOf('machinecontroller') + 1);
      expect(names.indexOf('csi-openstack-cinder')).to.be.greaterThan(names.indexOf('operating-system-manager'));
    });

    it('machineController.deploy: false drops both (OSM follows it); operatingSystemManager.deploy: false drops only OSM', () => {
      expect(render({ machineController: { deploy: false } }).map((a) => a.name)).to.not.include.members(['machinecontroller']).and.not.include('operating-system-manager');
      const names = render({ operatingSystemManager: { deploy: false } }).map((a) => a.name);
      expect(names).to.include('machinecontroller').and.not.include('operating-system-manager');
    });

    it('none of them without a cloud provider', () => {
      const names = renderAddons({ loaded: loadedCluster() }).map((a) => a.name);
      expect(names).to.not.include('machinecontroller');
      expect(names).to.not.include('operating-system-manager');
    });
  });

  describe('machinecontroller', () => {
    const objs = objectsOf(render(), 'machinecontroller');

    it('runs machine-controller v1.66.1 with KubeOne\'s flags (external cloud provider, CSR approver, 15m join timeout)', () => {
      const c = container(find(objs, 'Deployment', 'machine-controller'));
      expect(c.image).to.equal('quay.io/kubermatic/machine-controller:v1.66.1');
      expect(c.command).to.deep.equal(['/usr/local/bin/machine-controller']);
      expect(c.args).to.deep.equal(['-health-probe-address=0.0.0.0:8085', '-metrics-address=0.0.0.0:8080', '-node-csr-approver', '-node-external-cloud-provider', '-join-cluster-timeout=15m']);
    });

    it('takes the provider credentials from the kubeone-machine-controller-credentials Secret and hashes them into the pod template', () => {
      const d = find(objs, 'Deployment', 'machine-controller');
      const env = container(d).env as Obj[];
      expect(env.slice(0, 2)).to.deep.equal([{ name: 'HTTPS_PROXY', value: '' }, { name: 'NO_PROXY', value: '' }]);
      const fromSecret = env.filter((e) => e.valueFrom).map((e) => [e.name, e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key]);
      expect(fromSecret).to.deep.include(['OS_AUTH_URL', 'kubeone-machine-controller-credentials', 'OS_AUTH_URL']);
      expect(fromSecret).to.deep.include(['OS_PASSWORD', 'kubeone-machine-controller-credentials', 'OS_PASSWORD']);
      expect(d.spec.template.metadata.annotations['kubeone.k8c.io/credentials-hash']).to.match(/^[0-9a-f]{64}$/);
    });

    it('JOIN_TIMEOUT param sets -join-cluster-timeout; the CA bundle adds -ca-bundle', () => {
      const o = objectsOf(render({ addons: { addons: [{ name: 'machinecontroller', params: { JOIN_TIMEOUT: '30m' } }] } }), 'machinecontroller');
      expect(container(find(o, 'Deployment', 'machine-controller')).args).to.include('-join-cluster-timeout=30m');
      const withBundle = render({ certificateAuthority: { bundle: CA_PEM } });
      for (const name of ['machine-controller', 'machine-controller-webhook']) {
        expect(container(find(objectsOf(withBundle, 'machinecontroller'), 'Deployment', name)).args).to.include('-ca-bundle=/etc/kubeone/certs/ca-certificates.crt');
      }
      expect(container(find(objectsOf(withBundle, 'operating-system-manager'), 'Deployment', 'operating-system-manager')).args).to.include('-host-ca-bundle=/etc/kubeone/certs/ca-certificates.crt');
    });

    it('serves its webhook on 9876 behind machine-controller-webhook:443, for machinedeployments and machines', () => {
      const svc = find(objs, 'Service', 'machine-controller-webhook');
      expect(svc.spec.ports).to.deep.equal([{ port: 443, targetPort: 9876, protocol: 'TCP' }]);
      expect(svc.spec.selector).to.deep.equal({ app: 'machine-controller-webhook' });
      const c = container(find(objs, 'Deployment', 'machine-controller-webhook'));
      expect(c.command).to.deep.equal(['/usr/local/bin/webhook']);
      expect(c.args).to.deep.equal(['-listen-address=0.0.0.0:9876', '-namespace=kube-system', '-node-external-cloud-provider', '-tls-cert-path=/tmp/cert/cert.pem', '-tls-key-path=/tmp/cert/key.pem']);
      const hooks = find(objs, 'MutatingWebhookConfiguration', 'machinedeployments.machine-controller.kubermatic.io').webhooks as Obj[];
      expect(hooks.map((h) => [h.name, h.clientConfig.service.name, h.clientConfig.service.path, h.rules[0].resources[0], h.failurePolicy])).to.deep.equal([
        ['machinedeployments.machine-controller.kubermatic.io', 'machine-controller-webhook', '/machinedeployments', 'machinedeployments', 'Fail'],
        ['machines.machine-controller.kubermatic.io', 'machine-controller-webhook', '/machines', 'machines', 'Fail'],
      ]);
    });

    it('has KubeOne\'s RBAC: bootstrap bindings for its node token group, and lets its webhook read OSPs only with OSM', () => {
      const group = 'system:bootstrappers:machine-controller:default-node-token';
      expect(find(objs, 'ClusterRoleBinding', 'machine-controller:kubelet-bootstrap').subjects[0].name).to.equal(group);
      expect(find(objs, 'ClusterRoleBinding', 'machine-controller:node-signer').roleRef.name).to.equal('system:certificates.k8s.io:certificatesigningrequests:nodeclient');
      expect(objs.filter((o) => o.kind === 'RoleBinding' && o.metadata.name === 'machine-controller').map((o) => o.metadata.namespace)).to.have.members(['kube-system', 'kube-public', 'default']);
      expect(find(objs, 'Role', 'machine-controller-webhook').rules).to.deep.equal([{ apiGroups: ['operatingsystemmanager.k8c.io'], resources: ['operatingsystemprofiles'], verbs: ['get', 'list'] }]);
      const withoutOSM = objectsOf(render({ operatingSystemManager: { deploy: false } }), 'machinecontroller');
      expect(withoutOSM.some((o) => o.metadata.name === 'machine-controller-webhook' && o.kind === 'Role')).to.equal(false);
    });

    it('has PodDisruptionBudgets of maxUnavailable 1 for the controller and the webhook', () => {
      for (const name of ['machine-controller', 'machine-controller-webhook']) {
        expect(find(objs, 'PodDisruptionBudget', name).spec).to.deep.equal({ maxUnavailable: 1, selector: { matchLabels: { app: name } } });
      }
    });

    it('writes kubeone-registry-credentials for registries with auth', () => {
      const o = objectsOf(render({ containerRuntime: { containerd: { registries: { 'docker.io': { mirrors: ['https://mirror.local'], auth: { username: 'u', password: 'p' } } } } } }), 'machinecontroller');
      const s = find(o, 'Secret', 'kubeone-registry-credentials');
      expect(JSON.parse(Buffer.from(s.data['docker.io'], 'base64').toString())).to.deep.include({ username: 'u', password: 'p' });
      expect(objs.some((x) => x.metadata.name === 'kubeone-registry-credentials')).to.equal(false);
    });

    it('takes registryConfiguration.overwriteRegistry', () => {
      const o = objectsOf(render({ registryConfiguration: { overwriteRegistry: '127.0.0.1:5000' } }), 'machinecontroller');
      expect(container(find(o, 'Deployment', 'machine-controller')).image).to.equal('127.0.0.1:5000/kubermatic/machine-controller:v1.66.1');
    });
  });

  describe('operating-system-manager', () => {
    const objs = objectsOf(render(), 'operating-system-manager');

    it('runs osm-controller v1.11.1 with the node settings of the manifest', () => {
      const c = container(find(objs, 'Deployment', 'operating-system-manager'));
      expect(c.image).to.equal('quay.io/kubermatic/operating-system-manager:v1.11.1');
      expect(c.command).to.deep.equal(['/usr/local/bin/osm-controller']);
      expect(c.args).to.deep.equal([
        '-log-debug=false', '-log-format=json', '-health-probe-address=0.0.0.0:8085', '-metrics-address=0.0.0.0:8080',
        // nodelocaldns runs by default: nodes resolve through its link-local address.
        '-cluster-dns=169.254.20.10',
        '-namespace=kube-system', '-container-runtime=containerd',
        // kubeadm 1.35's pause image.
        '-pause-image=registry.k8s.io/pause:3.10.1',
        '-external-cloud-provider',
      ]);
    });

    it('passes registry mirrors, credentials, insecure registries, proxy and device ownership on to the nodes', () => {
      const o = objectsOf(render({
        features: { nodeLocalDNS: { deploy: false } },
        containerRuntime: { containerd: { registries: { 'docker.io': { mirrors: ['https://mirror.local'], auth: { username: 'u', password: 'p' } }, 'quay.io': { tlsConfig: { insecureSkipVerify: true } } } } },
        proxy: { http: 'http://proxy:3128', https: 'http://proxy:3128', noProxy: '.corp' },
        operatingSystemManager: { deploy: true, enableNonRootDeviceOwnership: true },
      }), 'operating-system-manager');
      const c = container(find(o, 'Deployment', 'operating-system-manager'));
      expect(c.args).to.not.include('-cluster-dns=169.254.20.10');
      expect(c.args.slice(-6)).to.deep.equal([
        '-node-containerd-registry-mirrors=docker.io=https://mirror.local',
        '-node-registry-credentials-secret=kube-system/kubeone-registry-credentials',
        '-node-insecure-registries=quay.io',
        '-node-http-proxy=http://proxy:3128',
        // noProxy as the manifest's defaults complete it (the cluster's own networks first).
        `-node-no-proxy=${c.env[1].value}`,
        '-device-ownership-from-security-context',
      ]);
      expect(c.env[1].value).to.match(/,\.corp$/);
      expect(c.env[0]).to.deep.equal({ name: 'HTTPS_PROXY', value: 'http://proxy:3128' });
      expect(c.env.find((e: Obj) => e.name === 'OS_AUTH_URL').valueFrom.secretKeyRef.name).to.equal('kubeone-operating-system-manager-credentials');
    });

    it('has the cloud-init-settings namespace, its reader account and long-lived token', () => {
      expect(find(objs, 'Namespace', 'cloud-init-settings')).to.exist;
      const token = find(objs, 'Secret', 'cloud-init-getter-token');
      expect(token.type).to.equal('kubernetes.io/service-account-token');
      expect(token.metadata.annotations).to.deep.equal({ 'kubernetes.io/service-account.name': 'cloud-init-getter' });
      expect(find(objs, 'Role', 'cloud-init-getter').rules).to.deep.equal([{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] }]);
      expect(objs.filter((x) => x.kind === 'RoleBinding' && x.metadata.name === 'operating-system-manager').map((x) => x.metadata.namespace)).to.have.members(['kube-system', 'cloud-init-settings', 'kube-public', 'default']);
    });

    it('has the OSP and OSC CRDs of operatingsystemmanager.k8c.io/v1alpha1', () => {
      const crds = objs.filter((x) => x.kind === 'CustomResourceDefinition');
      expect(crds.map((c) => [c.metadata.name, c.spec.names.shortNames[0], c.spec.versions.map((v: Obj) => v.name)])).to.have.deep.members([
        ['operatingsystemprofiles.operatingsystemmanager.k8c.io', 'osp', ['v1alpha1']],
        ['operatingsystemconfigs.operatingsystemmanager.k8c.io', 'osc', ['v1alpha1']],
      ]);
      const osp = crds.find((c) => c.spec.names.kind === 'OperatingSystemProfile')!.spec.versions[0].schema.openAPIV3Schema;
      expect(osp.properties.spec.required).to.deep.equal(['bootstrapConfig', 'osName', 'osVersion', 'provisioningConfig', 'supportedCloudProviders', 'version']);
      expect(osp.properties.spec.properties.osName.enum).to.deep.equal(['flatcar', 'rhel', 'centos', 'ubuntu', 'amzn2', 'rockylinux']);
      expect(osp.properties.spec.properties.provisioningConfig.properties.files.items.properties.permissions).to.deep.equal({ type: 'integer', format: 'int32', default: 644 });
    });

    it('serves its webhook on 9443 behind operating-system-manager-webhook:443 with KubeOne\'s paths', () => {
      expect(find(objs, 'Service', 'operating-system-manager-webhook').spec.ports).to.deep.equal([{ name: '443-9443', port: 443, targetPort: 9443, protocol: 'TCP' }]);
      const v = find(objs, 'ValidatingWebhookConfiguration', 'operatingsystemmanager.k8c.io').webhooks as Obj[];
      expect(v.map((h) => [h.name, h.clientConfig.service.path])).to.deep.equal([
        ['operatingsystemprofiles.operatingsystemmanager.k8c.io', '/operatingsystemprofile'],
        ['operatingsystemconfigs.operatingsystemmanager.k8c.io', '/operatingsystemconfig'],
      ]);
      const m = find(objs, 'MutatingWebhookConfiguration', 'operating-system-manager.kubermatic.io').webhooks as Obj[];
      expect(m.map((h) => [h.name, h.clientConfig.service.path, h.rules[0].resources[0]])).to.deep.equal([
        ['operating-system-manager.kubermatic.io-machinedeployments', '/mutate-v1alpha1-machinedeployment', 'machinedeployments'],
      ]);
      const c = container(find(objs, 'Deployment', 'operating-system-manager-webhook'));
      expect(c.volumeMounts[0].mountPath).to.equal('/tmp/k8s-webhook-server/serving-certs');
      expect(Object.keys(find(objs, 'Secret', 'operating-system-manager-webhook-serving-cert').data)).to.have.members(['tls.crt', 'tls.key', 'ca.crt']);
    });
  });

  describe('webhook serving certificates', () => {
    const ca = makeCA();
    const caCert = new X509Certificate(ca.cert);
    const cases = [
      { addon: 'machinecontroller', secret: 'machinecontroller-webhook-serving-cert', cert: 'cert.pem', key: 'key.pem', service: 'machine-controller-webhook' },
      { addon: 'operating-system-manager', secret: 'operating-system-manager-webhook-serving-cert', cert: 'tls.crt', key: 'tls.key', service: 'operating-system-manager-webhook' },
    ];
    for (const c of cases) {
      it(`${c.service}: signed by the cluster CA for <service>.kube-system.svc[.cluster.local], with its key; the webhooks trust the CA`, () => {
        const objs = objectsOf(render({}, { ca }), c.addon);
        const data = find(objs, 'Secret', c.secret).data as Record<string, string>;
        const cert = new X509Certificate(Buffer.from(data[c.cert]!, 'base64'));
        expect(cert.verify(caCert.publicKey)).to.equal(true);
        expect(cert.checkIssued(caCert)).to.equal(true);
        expect(cert.subjectAltName).to.equal(`DNS:${c.service}.kube-system.svc.cluster.local, DNS:${c.service}.kube-system.svc`);
        expect(cert.checkPrivateKey(createPrivateKey(Buffer.from(data[c.key]!, 'base64')))).to.equal(true);
        expect(Buffer.from(data['ca.crt']!, 'base64').toString()).to.equal(ca.cert);
        for (const w of objs.filter((o) => /WebhookConfiguration$/.test(o.kind))) {
          for (const h of w.webhooks) expect(Buffer.from(h.clientConfig.caBundle, 'base64').toString()).to.equal(ca.cert);
        }
      });
    }

    it('are the same on the next run (a second plan has nothing to change) and renewed in a later window', () => {
      const hashes = (now: Date) => render({}, { ca, now }).filter((a) => a.name === 'machinecontroller' || a.name === 'operating-system-manager').flatMap((a) => a.objects.filter((o) => o.kind === 'Secret').map((o) => `${o.name}:${o.hash}`));
      expect(hashes(new Date('2026-06-01T00:00:00Z'))).to.deep.equal(hashes(new Date('2026-06-02T00:00:00Z')));
      expect(hashes(new Date('2027-06-01T00:00:00Z'))).to.not.deep.equal(hashes(new Date('2026-06-01T00:00:00Z')));
    });
  });
});
