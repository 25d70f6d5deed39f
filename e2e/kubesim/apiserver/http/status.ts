// Kubernetes metav1.Status errors, shaped like the real apiserver's so that clients
// (kubectl's error printer, client-node's ApiException) read them the same way.

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  toStatus(): Record<string, unknown> {
    const status: Record<string, unknown> = {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      code: this.code,
    };
    if (this.details) status.details = this.details;
    return status;
  }
}

/** "deployments.apps" / "pods": how the real apiserver names a resource in messages. */
export function qualifiedResource(group: string, plural: string): string {
  return group ? `${plural}.${group}` : plural;
}

export const errors = {
  notFound(group: string, plural: string, name: string): ApiError {
    return new ApiError(404, 'NotFound', `${qualifiedResource(group, plural)} "${name}" not found`, { name, group: group || undefined, kind: plural });
  },
  alreadyExists(group: string, plural: string, name: string): ApiError {
    return new ApiError(409, 'AlreadyExists', `${qualifiedResource(group, plural)} "${name}" already exists`, { name, group: group || undefined, kind: plural });
  },
  conflict(group: string, plural: string, name: string, why: string): ApiError {
    return new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${qualifiedResource(group, plural)} "${name}": ${why}`, {
      name,
      group: group || undefined,
      kind: plural,
    });
  },
  staleResourceVersion(group: string, plural: string, name: string): ApiError {
    return errors.conflict(group, plural, name, 'the object has been modified; please apply your changes to the latest version and try again');
  },
  invalid(kind: string, group: string, name: string, causes: Array<{ field: string; message: string; reason?: string }>): ApiError {
    const qualifiedKind = group ? `${kind}.${group}` : kind;
    const text = causes.map((c) => `${c.field}: ${c.message}`).join(', ');
    return new ApiError(422, 'Invalid', `${qualifiedKind} "${name}" is invalid: ${text}`, {
      name,
      group: group || undefined,
      kind,
      causes: causes.map((c) => ({ reason: c.reason ?? 'FieldValueInvalid', message: c.message, field: c.field })),
    });
  },
  badRequest(message: string): ApiError {
    return new ApiError(400, 'BadRequest', message);
  },
  unauthorized(): ApiError {
    return new ApiError(401, 'Unauthorized', 'Unauthorized');
  },
  forbidden(message: string, details?: StatusDetails): ApiError {
    return new ApiError(403, 'Forbidden', message, details);
  },
  methodNotAllowed(message = 'the server does not allow this method on the requested resource'): ApiError {
    return new ApiError(405, 'MethodNotAllowed', message);
  },
  unsupportedMediaType(contentType: string): ApiError {
    return new ApiError(415, 'UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml (got ${contentType})`);
  },
  notAcceptable(message: string): ApiError {
    return new ApiError(406, 'NotAcceptable', message);
  },
  tooManyRequests(message: string, details?: StatusDetails): ApiError {
    return new ApiError(429, 'TooManyRequests', message, details);
  },
  unavailable(message: string): ApiError {
    return new ApiError(503, 'ServiceUnavailable', message);
  },
  internal(message: string): ApiError {
    return new ApiError(500, 'InternalError', `Internal error occurred: ${message}`);
  },
  notFoundPath(): ApiError {
    return new ApiError(404, 'NotFound', 'the server could not find the requested resource');
  },
};

export function successStatus(details?: StatusDetails): Record<string, unknown> {
  const s: Record<string, unknown> = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success' };
  if (details) s.details = details;
  return s;
}
