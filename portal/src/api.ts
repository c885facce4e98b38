/** Calls to the portal API (the same endpoints scripts use; see /api/openapi.json). */

/** A policy or schema problem, as src/policy reports it. */
export interface Problem {
  path: string;
  message: string;
  ruleId: string;
  severity: 'error' | 'warning';
  line?: number;
  column?: number;
}

/** An API error: the HTTP status, the message and the field to blame. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
    readonly problems?: Problem[],
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'drplane-portal-token';
/** The bearer token the user typed (kept for the tab's session only). */
export const token = {
  get: (): string => sessionStorage.getItem(TOKEN_KEY) ?? '',
  set: (value: string): void => sessionStorage.setItem(TOKEN_KEY, value),
};

async function call<T>(method: string, path: string, body?: string, type = 'application/yaml'): Promise<T> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = type;
  if (token.get()) headers.authorization = `Bearer ${token.get()}`;
  let res: Response;
  try {
    res = await fetch(path, { method, body, headers });
  } catch {
    throw new ApiError(0, 'the portal server does not answer; is npm run portal still running?');
  }
  const data = (await res.json().catch(() => ({ error: `${res.status} ${res.statusText}` }))) as {
    error?: string;
    field?: string;
    problems?: Problem[];
  };
  if (!res.ok) throw new ApiError(res.status, data.error ?? `${res.status}`, data.field, data.problems);
  return data as T;
}

/** Claim schema node (the OpenAPI schema of src/policy/schema-tree). */
export interface SchemaNode {
  type?: string;
  description?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  additionalProperties?: SchemaNode | boolean;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  minimum?: number;
  maximum?: number;
  pattern?: string;
}

/** Counts of kinds per region. */
export interface PlanSummary {
  total: number;
  byRegion: Record<string, Record<string, number>>;
}
/** The parts of the cost estimate the page shows. */
export interface Cost {
  totalMonthlyUsd: number;
  regions: Record<string, { totalUsd: number }>;
  global: { totalUsd: number };
  priceTableDate: string;
  /** How many prices are confirmed against a source, unconfirmed list prices, or modelling assumptions. */
  priceStatus: { confirmed: number; unconfirmed: number; assumption: number };
}
/** The parts of the objectives estimate the page shows. */
export interface Objectives {
  rpoSeconds: number;
  rtoMinutes: number;
  typical: { rpoSeconds: number; rtoMinutes: number };
  met: boolean | null;
  rpo: { objectiveSeconds?: number; met: boolean | null };
  rto: { objectiveMinutes?: number; met: boolean | null };
  advice: { objective: 'rpo' | 'rto'; field: string; change: string }[];
}
/** A claim of the repository. */
export interface StoredClaim {
  path: string;
  namespace: string;
  name: string;
  primary: string;
  secondaries: string[];
  activeRegion: string;
  environment: string;
  status: string;
}

/** How users sign in to the portal. */
export type SignIn = 'token' | 'proxy' | 'oidc';
/** Who the page's user is (GET /api/session). */
export interface Session {
  signIn: SignIn;
  signedIn: boolean;
  user?: string;
  email?: string;
  groups?: string[];
  /** Namespaces the user may act on (`*`: every one). */
  namespaces?: string[];
  /** When the session ends (OpenID Connect), ISO 8601. */
  expires?: string;
  /** Why nobody is signed in. */
  reason?: string;
}

export const api = {
  schema: () =>
    call<{ schema: SchemaNode; regions: string[]; tokenRequired: boolean; writes: 'token' | 'open' | 'off'; signIn?: SignIn }>(
      'GET',
      '/api/schema',
    ),
  session: () => call<Session>('GET', '/api/session'),
  validate: (yaml: string) => call<{ valid: boolean; problems: Problem[] }>('POST', '/api/validate', yaml),
  plan: (yaml: string) => call<{ summary: PlanSummary }>('POST', '/api/plan', yaml),
  cost: (yaml: string) => call<Cost>('POST', '/api/cost', yaml),
  objectives: (yaml: string) => call<Objectives>('POST', '/api/objectives', yaml),
  claims: () => call<{ claims: StoredClaim[] }>('GET', '/api/claims'),
  commit: (yaml: string) => call<{ branch: string; commit: string; path: string }>('POST', '/api/claims', yaml),
  failover: (ns: string, name: string, body: { to: string; reason: string; unplanned: boolean; yes: boolean }) =>
    call<{ from: string; to: string; commit: string; branch?: string }>(
      'POST',
      `/api/claims/${encodeURIComponent(ns)}/${encodeURIComponent(name)}/failover`,
      JSON.stringify(body),
      'application/json',
    ),
};
