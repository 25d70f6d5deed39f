import type { Issue } from '../errors.js';
import { checkStructure } from '../schema.js';
import type { KubeOneCluster } from '../types.js';
import { validateAPIEndpoint, validateCloudProvider, validateVersions } from './cloud.js';
import {
  validateCABundle,
  validateContainerRuntime,
  validateControlPlaneComponents,
  validateDynamicWorkers,
  validateFeatures,
  validateHelmReleases,
  validateKubernetesBinaries,
} from './components.js';
import { validateHosts } from './hosts.js';
import { validateClusterNetwork } from './network.js';
import { validateShapes } from './shapes.js';
import { Issues, isDNS1123Subdomain } from './util.js';

/**
 * KubeOne's ValidateKubeOneCluster on a DEFAULTED manifest, plus the project's own rules
 * (host identity, subnet overlap, kubernetesBinaries). Pure; returns every issue found.
 */
export function validate(c: KubeOneCluster): Issue[] {
  const out = new Issues();
  // The schema first, so a cluster built in code (or merged from Terraform) gets the same
  // structural checks as a decoded manifest.
  const structure = checkStructure(c);
  out.list.push(...structure.blocking, ...structure.nonBlocking);
  if (structure.blocking.length > 0) return out.list;
  if (!c.name) out.add('name', 'no cluster name given');
  else if (!isDNS1123Subdomain(c.name)) out.add('name', `${JSON.stringify(c.name)} is not a valid DNS-1123 subdomain (lower case alphanumerics, "-" and ".")`);
  validateShapes(c, out);
  validateHosts(c, out);
  validateAPIEndpoint(c, out);
  validateCloudProvider(c, out);
  validateVersions(c, out);
  validateContainerRuntime(c, out);
  validateClusterNetwork(c, out);
  validateDynamicWorkers(c, out);
  validateCABundle(c.certificateAuthority?.bundle, c.certificateAuthority?.bundle ? 'certificateAuthority.bundle' : 'caBundle', out);
  if (c.caBundle && c.caBundle !== c.certificateAuthority?.bundle) validateCABundle(c.caBundle, 'caBundle', out);
  validateFeatures(c, out);
  validateHelmReleases(c, out);
  if (c.registryConfiguration?.insecureRegistry && !c.registryConfiguration.overwriteRegistry) {
    out.add('registryConfiguration.insecureRegistry', 'insecureRegistry requires overwriteRegistry');
  }
  validateControlPlaneComponents(c, out);
  validateKubernetesBinaries(c, out);
  return out.list;
}
