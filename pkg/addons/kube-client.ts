// A KubernetesObjectApi that passes objects through untouched: the stock one serializes
// through the typed models, which drop fields they do not know and rename others
// (x-kubernetes-preserve-unknown-fields); addon objects must reach the server as rendered.
import { HttpMethod, KubeConfig, KubernetesObjectApi, type KubernetesObject, type V1APIGroupList, type V1APIResourceList } from '@kubernetes/client-node';

export class RawObjectApi extends KubernetesObjectApi {
  static fromKubeConfig(kc: KubeConfig): RawObjectApi {
    const client = kc.makeApiClient(RawObjectApi);
    client.setDefaultNamespace(kc);
    return client;
  }

  protected override async getSerializationType(): Promise<string> {
    return 'KubernetesObject';
  }

  /** Forgets cached discovery of a group-version (a CRD just created adds kinds to it). */
  forget(apiVersion: string): void {
    delete this.apiVersionResourceCache[apiVersion];
  }

  /** The listable resources of the cluster: preferred version of every group, plus core v1. */
  async discoverListable(): Promise<{ apiVersion: string; kind: string; namespaced: boolean }[]> {
    const get = async <T>(path: string, type: string): Promise<T> => {
      const ctx = this.configuration.baseServer.makeRequestContext(path, HttpMethod.GET);
      ctx.setHeaderParam('Accept', 'application/json');
      // requestPromise is typed for objects; discovery documents deserialize through their model type.
      return (await this.requestPromise(ctx, type)) as unknown as T;
    };
    const groups = await get<V1APIGroupList>('/apis', 'V1APIGroupList');
    const versions = ['v1', ...groups.groups.map((g) => g.preferredVersion?.groupVersion ?? g.versions[0]!.groupVersion)];
    const out: { apiVersion: string; kind: string; namespaced: boolean }[] = [];
    for (const gv of versions) {
      const list = await get<V1APIResourceList>(gv === 'v1' ? '/api/v1' : `/apis/${gv}`, 'V1APIResourceList').catch(() => null);
      for (const r of list?.resources ?? []) {
        if (r.name.includes('/') || !r.verbs.includes('list')) continue;
        out.push({ apiVersion: gv, kind: r.kind, namespaced: r.namespaced });
      }
    }
    return out;
  }
}

export type { KubernetesObject };
