// The control planes' extra files at KubeOne's paths and with KubeOne's content: the audit
// policy and the plugins' files copied as given (pkg/tasks/prerequisites.go
// generateConfigurationFiles), the AdmissionConfiguration of pkg/templates/admissionconfig,
// the CA bundle of pkg/certificate/cabundle.
import { expect } from 'chai';
import { parse } from 'yaml';
import { applyDefaults } from '../api/defaults.js';
import { resolveHosts } from '../api/hosts.js';
import type { KubeOneCluster, LoadedCluster } from '../api/types.js';
import { renderControlPlaneFiles } from './control-plane-files.js';

const POLICY = 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n';
const PNS = 'podNodeSelectorPluginConfig:\n  clusterDefaultNodeSelector: tier=app\n';
const ERL = 'apiVersion: eventratelimit.admission.k8s.io/v1alpha1\nkind: Configuration\nlimits:\n- type: Server\n  qps: 50\n  burst: 100\n';
const BUNDLE = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

function loaded(features: KubeOneCluster['features'], extra: Partial<KubeOneCluster> = {}): LoadedCluster {
  const cluster = applyDefaults({
    apiVersion: 'kubeone.k8c.io/v1beta2',
    kind: 'KubeOneCluster',
    name: 'demo',
    versions: { kubernetes: '1.35.1' },
    controlPlane: { hosts: [{ publicAddress: '192.0.2.10', privateAddress: '10.0.0.10', sshPrivateKeyFile: '/k' }] },
    features,
    ...extra,
  });
  return { manifestPath: '/m/k.yaml', baseDir: '/m', cluster, hosts: resolveHosts(cluster), credentials: {}, warnings: [], controlPlaneInputs: { auditPolicy: POLICY, podNodeSelector: PNS, eventRateLimit: ERL } };
}

describe('control-plane files (KubeOne paths and content)', () => {
  it('every feature: the files as given, the AdmissionConfiguration naming both plugins (PodNodeSelector first), the CA bundle', () => {
    const files = renderControlPlaneFiles(
      loaded(
        {
          staticAuditLog: { enable: true, config: { policyFilePath: 'a' } },
          podNodeSelector: { enable: true, config: { configFilePath: 'p' } },
          eventRateLimit: { enable: true, config: { configFilePath: 'e' } },
        },
        { certificateAuthority: { bundle: BUNDLE } },
      ),
    );
    const byPath = Object.fromEntries(files.map((f) => [f.path, f]));
    expect(Object.keys(byPath).sort()).to.deep.equal([
      '/etc/kubeone/certs/ca-certificates.crt',
      '/etc/kubernetes/admission/admission-config.yaml',
      '/etc/kubernetes/admission/eventratelimit.yaml',
      '/etc/kubernetes/admission/podnodeselector.yaml',
      '/etc/kubernetes/audit/policy.yaml',
    ]);
    expect(byPath['/etc/kubernetes/audit/policy.yaml']!.content).to.equal(POLICY);
    expect(byPath['/etc/kubernetes/admission/podnodeselector.yaml']!.content).to.equal(PNS);
    expect(byPath['/etc/kubernetes/admission/eventratelimit.yaml']!.content).to.equal(ERL);
    expect(byPath['/etc/kubeone/certs/ca-certificates.crt']!.content).to.equal(BUNDLE);
    expect(parse(byPath['/etc/kubernetes/admission/admission-config.yaml']!.content)).to.deep.equal({
      apiVersion: 'apiserver.config.k8s.io/v1',
      kind: 'AdmissionConfiguration',
      plugins: [
        { name: 'PodNodeSelector', path: '/etc/kubernetes/admission/podnodeselector.yaml' },
        { name: 'EventRateLimit', path: '/etc/kubernetes/admission/eventratelimit.yaml' },
      ],
    });
    // Policies and admission files for root only; the bundle is public.
    expect(files.map((f) => [f.path, f.mode])).to.deep.include.members([['/etc/kubernetes/audit/policy.yaml', '0600'], ['/etc/kubeone/certs/ca-certificates.crt', '0644']]);
  });

  it('no feature, no file; EventRateLimit alone', () => {
    expect(renderControlPlaneFiles(loaded({}))).to.deep.equal([]);
    const erl = renderControlPlaneFiles(loaded({ eventRateLimit: { enable: true, config: { configFilePath: 'e' } } }));
    expect(erl.map((f) => f.path)).to.deep.equal(['/etc/kubernetes/admission/admission-config.yaml', '/etc/kubernetes/admission/eventratelimit.yaml']);
    expect(parse(erl[0]!.content).plugins).to.deep.equal([{ name: 'EventRateLimit', path: '/etc/kubernetes/admission/eventratelimit.yaml' }]);
  });

  it('a LoadedCluster built without reading the files is a programming error, not an empty policy', () => {
    const l = loaded({ staticAuditLog: { enable: true, config: { policyFilePath: 'a' } } });
    delete l.controlPlaneInputs;
    expect(() => renderControlPlaneFiles(l)).to.throw(/policyFilePath: the file was not read/);
  });
});
