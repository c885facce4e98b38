/** HTTP errors of the portal API: a status, a message for people and, when one is to blame, the field. */

/** An error the API answers as `{error, field?}` with its status; never with a stack trace. */
export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500 | 503,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }

  /** The JSON body of the answer. */
  body(): { error: string; field?: string } {
    return this.field === undefined ? { error: this.message } : { error: this.message, field: this.field };
  }
}

/** Kubernetes DNS label (RFC 1123): what claim names and namespaces must be; no dots, slashes or `..`. */
export const K8S_NAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/;

/** Checks a claim name or namespace before it becomes part of a path or a branch name. */
export function checkName(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 63 || !K8S_NAME.test(value)) {
    throw new HttpError(
      400,
      `${field} must be a Kubernetes name: lowercase letters, digits and inner hyphens, at most 63 characters (got ${JSON.stringify(value ?? null)})`,
      field,
    );
  }
  return value;
}
