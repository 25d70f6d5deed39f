import { ConfigError } from '../../pkg/api/errors.js';
import { EXAMPLE_HOSTS, parseHostsFlag, renderExampleManifest, type ExampleOptions } from '../../pkg/api/example-manifest.js';
import { parseManifest } from '../../pkg/api/parse.js';
import type { CommandFactory } from '../shared/context.js';

interface PrintArgs {
  full: boolean;
  'cluster-name': string;
  'kubernetes-version': string;
  provider: string;
  'control-plane-hosts'?: string;
  'api-endpoint-host': string;
  'api-endpoint-port': number;
  'api-endpoint-alternative-names': string;
  'pod-subnet': string;
  'service-subnet': string;
  'service-dns': string;
  'node-port-range': string;
  'proxy-http': string;
  'proxy-https': string;
  'proxy-no-proxy': string;
  'enable-always-pull-images': boolean;
  'enable-event-rate-limit': boolean;
  'enable-pod-node-selector': boolean;
  'enable-pod-security-policy': boolean;
  'enable-static-audit-log': boolean;
  'enable-dynamic-audit-log': boolean;
  'enable-metrics-server': boolean;
  'enable-openid-connect': boolean;
  'enable-encryption-providers': boolean;
  'deploy-machine-controller': boolean;
  'container-log-max-size': string;
  'container-log-max-files': number;
}

const bool = (describe: string, dflt = false) => ({ type: 'boolean' as const, default: dflt, describe });
const str = (describe: string, dflt = '') => ({ type: 'string' as const, default: dflt, describe });

/** `kubeone config print [--full]`: an example manifest that passes `config validate`. */
export const configPrintCommand: CommandFactory = (ctx) => ({
  command: 'print',
  describe: 'Print an example manifest',
  builder: (y) =>
    y.options({
      full: { alias: 'f', ...bool('print the full manifest with every section') },
      'cluster-name': { alias: 'n', ...str('cluster name', 'demo-cluster') },
      'kubernetes-version': { alias: 'k', ...str('Kubernetes version', '1.35.1') },
      // KubeOne prints aws; cloud providers (their CCM/CSI) are not supported yet, so the example
      // that must pass `config validate` is a bare-metal one.
      provider: { alias: 'p', ...str('cloud provider', 'none') },
      'control-plane-hosts': { type: 'string', describe: 'hosts separated by spaces, each "publicAddress:1.2.3.4,privateAddress:10.0.0.1,sshUsername:ubuntu,sshPort:22"' },
      'api-endpoint-host': str('API endpoint host (default: first control-plane publicAddress)'),
      'api-endpoint-port': { type: 'number', default: 6443, describe: 'API endpoint port' },
      'api-endpoint-alternative-names': str('comma-separated extra API server certificate SANs'),
      'pod-subnet': str('pod subnet', '10.244.0.0/16'),
      'service-subnet': str('service subnet', '10.96.0.0/12'),
      'service-dns': str('service DNS domain', 'cluster.local'),
      'node-port-range': str('NodePort range', '30000-32767'),
      'proxy-http': str('HTTP proxy'),
      'proxy-https': str('HTTPS proxy'),
      'proxy-no-proxy': str('no-proxy list'),
      'enable-always-pull-images': bool('enable the AlwaysPullImages admission plugin'),
      'enable-event-rate-limit': bool('enable the EventRateLimit admission plugin'),
      'enable-pod-node-selector': bool('enable the PodNodeSelector admission plugin'),
      'enable-pod-security-policy': bool('no-op, kept for compatibility'),
      'enable-static-audit-log': bool('enable static audit logging'),
      'enable-dynamic-audit-log': bool('enable dynamic audit logging'),
      'enable-metrics-server': bool('deploy metrics-server', true),
      'enable-openid-connect': bool('enable OpenID Connect authentication'),
      'enable-encryption-providers': bool('enable encryption at rest'),
      'deploy-machine-controller': bool('deploy machine-controller', true),
      'container-log-max-size': str('container log max size', '100Mi'),
      'container-log-max-files': { type: 'number', default: 5, describe: 'container log max files' },
    }),
  handler: ctx.run<PrintArgs>((a) => {
    let hosts = EXAMPLE_HOSTS;
    if (a['control-plane-hosts']) {
      try {
        hosts = parseHostsFlag(a['control-plane-hosts']);
      } catch (e) {
        throw new ConfigError([{ path: '--control-plane-hosts', message: (e as Error).message }]);
      }
    }
    const options: ExampleOptions = {
      full: a.full,
      clusterName: a['cluster-name'],
      kubernetesVersion: a['kubernetes-version'],
      provider: a.provider,
      controlPlaneHosts: hosts,
      apiEndpointHost: a['api-endpoint-host'],
      apiEndpointPort: a['api-endpoint-port'],
      apiEndpointAlternativeNames: a['api-endpoint-alternative-names'].split(',').map((s) => s.trim()).filter(Boolean),
      podSubnet: a['pod-subnet'],
      serviceSubnet: a['service-subnet'],
      serviceDNS: a['service-dns'],
      nodePortRange: a['node-port-range'],
      proxyHttp: a['proxy-http'],
      proxyHttps: a['proxy-https'],
      proxyNoProxy: a['proxy-no-proxy'],
      enableAlwaysPullImages: a['enable-always-pull-images'],
      enableEventRateLimit: a['enable-event-rate-limit'],
      enablePodNodeSelector: a['enable-pod-node-selector'],
      enablePodSecurityPolicy: a['enable-pod-security-policy'],
      enableStaticAuditLog: a['enable-static-audit-log'],
      enableDynamicAuditLog: a['enable-dynamic-audit-log'],
      enableMetricsServer: a['enable-metrics-server'],
      enableOpenIDConnect: a['enable-openid-connect'],
      enableEncryptionProviders: a['enable-encryption-providers'],
      deployMachineController: a['deploy-machine-controller'],
      containerLogMaxSize: a['container-log-max-size'],
      containerLogMaxFiles: a['container-log-max-files'],
    };
    const text = renderExampleManifest(options);
    // As KubeOne: what we print must survive a strict decode.
    parseManifest(text, '<config print>');
    ctx.print(text);
  }),
});
