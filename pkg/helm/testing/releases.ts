// Desired and live Helm releases for tests (planner, ops, model).
import type { HelmReleaseFacts } from '../../snapshot/types.js';
import type { DesiredHelmRelease } from '../types.js';
import { valuesHash, viewOfValues } from '../values.js';

export function desiredRelease(name: string, opts: Partial<DesiredHelmRelease> & { chartVersion?: string } = {}): DesiredHelmRelease {
  const values = opts.values ?? {};
  const { chartVersion, ...rest } = opts;
  return {
    index: 0,
    name,
    namespace: 'apps',
    source: { kind: 'repository', repoURL: 'http://127.0.0.1:8879/charts', chart: name },
    version: '',
    wait: false,
    timeout: '5m',
    insecure: false,
    chart: { name, version: chartVersion ?? '1.0.0' },
    ...rest,
    values,
    valuesHash: valuesHash(values),
    valuesView: viewOfValues(values),
  };
}

export function liveRelease(name: string, opts: Partial<HelmReleaseFacts> & { config?: Record<string, unknown> } = {}): HelmReleaseFacts {
  const { config = {}, ...rest } = opts;
  return {
    name,
    namespace: 'apps',
    revision: 1,
    status: 'deployed',
    chart: name,
    chartVersion: '1.0.0',
    appVersion: '1.0',
    valuesHash: valuesHash(config),
    values: viewOfValues(config),
    managed: true,
    ...rest,
  };
}
