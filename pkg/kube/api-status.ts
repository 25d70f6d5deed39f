// The HTTP status of a failed Kubernetes API call, as @kubernetes/client-node reports it
// (ApiException.code; older errors carry statusCode). A module of its own, importing nothing,
// so that ops can use it without loading the Kubernetes client.

/** The HTTP status of a failed API call; undefined for anything else (network errors, bugs). */
export function statusOf(error: unknown): number | undefined {
  const e = error as { code?: unknown; statusCode?: unknown } | null | undefined;
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.statusCode === 'number') return e.statusCode;
  return undefined;
}
