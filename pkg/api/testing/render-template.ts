// Renders the Go-template placeholders of the reference manifests for tests:
// `{{ .Name }}` and `{{ required "..." .Name }}` become the given values.
export function renderTemplate(text: string, values: Record<string, string>): string {
  return text.replace(/\{\{\s*(?:required\s+"[^"]*"\s+)?\.(\w+)\s*\}\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`no value for template placeholder ${whole}`);
    return values[name]!;
  });
}

export const FULL_TEMPLATE_VALUES: Record<string, string> = {
  ClusterName: 'demo-cluster',
  KubernetesVersion: '1.35.1',
  PodSubnet: '10.244.0.0/16',
  ServiceSubnet: '10.96.0.0/12',
  ServiceDNS: 'cluster.local',
  NodePortRange: '30000-32767',
  CloudProviderName: 'aws',
  CloudProviderExternal: 'true',
  CloudProviderCloudCfg: '',
  EnableAlwaysPullImages: 'false',
  EnableEventRateLimit: 'false',
  EnablePodNodeSelector: 'false',
  EnablePodSecurityPolicy: 'false',
  EnableStaticAuditLog: 'false',
  EnableDynamicAuditLog: 'false',
  EnableMetricsServer: 'true',
  EnableOpenIDConnect: 'false',
  EnableEncryptionProviders: 'false',
  APIEndpointHost: '',
  APIEndpointPort: '6443',
  APIEndpointAlternativeNames: '[]',
  DeployMachineController: 'true',
  HTTPProxy: '',
  HTTPSProxy: '',
  NoProxy: '',
  ContainerLogMaxSize: '100Mi',
  ContainerLogMaxFiles: '5',
  VERSION: '1.35.1',
};
