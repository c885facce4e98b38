/**
 * Turns zod issues into problems a person can act on: the field, what is wrong with the value,
 * what the field is for (its schema description) and what to write instead. Fields with a
 * well-known failure get their own rule id and message (regions, environment, emails, CIDRs).
 */
import type { core } from 'zod';
import { AWS_REGIONS } from '../api/regions.js';
import { DATABASE_ENGINES } from '../api/sections.js';
import { parseCidr } from './cidr.js';
import { type AuroraEngine } from '../facts/aurora-versions.js';
import { findVersion, isAccepted, suggestVersions } from './engine-versions.js';
import { type PathSegment, type SchemaNode, formatPath, schemaAt } from './schema-tree.js';
import { closest } from './suggest.js';
import type { Fix, Problem } from './types.js';
import { cidrFor } from '../primitives/network/rules.js';
import type { DisasterRecoverySpec } from '../api/claim.js';

/** Raw text of a scalar in the source document, when known (for "quote it" hints). */
export type SourceLookup = (segments: readonly PathSegment[]) => string | undefined;

type Issue = core.$ZodIssue & { input?: unknown };

/** A short, readable rendering of a value for messages. */
export function render(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  const text =
    typeof value === 'string'
      ? JSON.stringify(value)
      : Array.isArray(value)
        ? 'a list'
        : typeof value === 'object'
          ? 'a mapping'
          : String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const kindOf = (value: unknown): string =>
  value === null
    ? 'null'
    : Array.isArray(value)
      ? 'a list'
      : typeof value === 'object'
        ? 'a mapping'
        : typeof value === 'string'
          ? 'a string'
          : `a ${typeof value}`;

const article = (type: string): string =>
  type === 'object' ? 'a mapping' : type === 'array' ? 'a list' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;

const describe = (node: SchemaNode | undefined): string => (node?.description ? ` (${node.description.replace(/\.$/, '')})` : '');

/** "one of a, b, c" for an enum, shortened for long lists. */
function oneOf(values: readonly unknown[]): string {
  const shown = values.slice(0, 8).map((v) => String(v));
  return `one of ${shown.join(', ')}${values.length > shown.length ? `, … (${values.length} in all)` : ''}`;
}

/** What an issue's message may consult besides the issue: the day (supported versions) and the whole document. */
export interface IssueContext {
  readonly today?: Date;
  readonly document?: unknown;
}

/** Converts one zod issue into a problem (without a source position). */
export function issueToProblem(issue: Issue, source?: SourceLookup, context: IssueContext = {}): Problem {
  const segments = issue.path as PathSegment[];
  const node = schemaAt(segments);
  const special = specialCase(issue, segments, source, context);
  const { ruleId, message, value } = special ?? generic(issue, segments, node, source);
  const path = formatPath(segments);
  const fix: Fix | undefined = value === undefined ? undefined : { path, value };
  return { path, message, ruleId, severity: 'error', ...(fix ? { fix } : {}) };
}

/** A message, its rule id, and the value it proposes (the fix), if one. */
type Described = { ruleId: string; message: string; value?: unknown };

const get = (root: unknown, ...keys: string[]): unknown =>
  keys.reduce<unknown>(
    (node, k) => (typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[k] : undefined),
    root,
  );

/** Messages for fields whose mistakes are common enough to deserve their own rule id. */
function specialCase(
  issue: Issue,
  segments: PathSegment[],
  source: SourceLookup | undefined,
  context: IssueContext,
): Described | undefined {
  const path = formatPath(segments.map((s) => (typeof s === 'number' ? 0 : s)));
  const value = issue.input;
  if (
    issue.code === 'invalid_value' &&
    ['spec.regions.primary', 'spec.regions.secondaries[0]', 'spec.activeRegion'].includes(path)
  )
    return unknownRegion(value);
  if (path === 'spec.environment' && value !== undefined) return environmentFormat(value);
  if (path === 'spec.monitoring.alertEmails[0]' && typeof value === 'string') {
    return {
      ruleId: 'monitoring.email-format',
      message: `${render(value)} is not an email address SNS can deliver to; write an address such as oncall@example.com`,
      value: 'oncall@example.com',
    };
  }
  if (segments.length === 4 && path.startsWith('spec.network.cidrs.') && issue.code === 'invalid_format') {
    const free = freeCidr(context.document, String(segments[3]));
    return {
      ruleId: 'network.cidr-invalid',
      message: `${render(value)} is not an IPv4 CIDR: write four octets and a prefix length${free ? `, such as ${free} (a range no other region uses)` : ''}`,
      value: free,
    };
  }
  if (
    path === 'spec.database.engineVersion' &&
    value !== undefined &&
    (issue.code === 'invalid_type' || issue.code === 'invalid_format')
  )
    return engineVersion(issue, value, source?.(segments), context);
  if (path === 'apiVersion')
    return {
      ruleId: 'document.api-version',
      message: `apiVersion is ${render(value)}; a DisasterRecovery claim has apiVersion: drplane.io/v1alpha1`,
    };
  return undefined;
}

function unknownRegion(value: unknown): Described {
  const guess = typeof value === 'string' ? closest(value, AWS_REGIONS) : undefined;
  const fix = guess
    ? `did you mean ${guess}?`
    : 'write a region name such as us-east-1 (`drctl explain spec.regions.primary` lists them all)';
  return { ruleId: 'regions.unknown', message: `${render(value)} is not an AWS region drplane knows; ${fix}`, value: guess };
}

/** A free /16 for a region of a document that failed the schema (its valid CIDRs and regions as written). */
function freeCidr(document: unknown, region: string): string | undefined {
  const cidrs = get(document, 'spec', 'network', 'cidrs');
  const written = Object.entries(typeof cidrs === 'object' && cidrs !== null ? cidrs : {}).filter(
    (entry): entry is [string, string] => typeof entry[1] === 'string' && parseCidr(entry[1]).ok,
  );
  const secondaries = get(document, 'spec', 'regions', 'secondaries');
  const spec = {
    regions: {
      primary: String(get(document, 'spec', 'regions', 'primary') ?? ''),
      secondaries: Array.isArray(secondaries) ? secondaries.map(String) : [],
    },
    network: { cidrs: Object.fromEntries(written) },
  } as unknown as DisasterRecoverySpec;
  return cidrFor(spec, region);
}

/**
 * An engine version that is not a version string: the version to write, an accepted one (the text as written
 * when YAML only lost its quotes, else the nearest version AWS offers for global databases).
 */
function engineVersion(issue: Issue, value: unknown, sourceText: string | undefined, context: IssueContext): Described {
  const written = get(context.document, 'spec', 'database', 'engine');
  const engine: AuroraEngine = DATABASE_ENGINES.find((e) => e === written) ?? 'aurora-postgresql';
  const today = context.today ?? new Date();
  const text = sourceText ?? (typeof value === 'string' || typeof value === 'number' ? String(value) : '');
  const row = findVersion(engine, text);
  const version = row && row.globalDatabase && isAccepted(row, today) ? text : suggestVersions(engine, text, today)[0];
  const what =
    issue.code === 'invalid_type'
      ? `expected a version string, got ${kindOf(value)} ${render(value)} (unquoted YAML reads ${text} as ${kindOf(value)})`
      : `${render(value)} is not an engine version`;
  const write = !version
    ? 'choose a version from `drctl explain spec.database.engineVersion`'
    : version === text
      ? `quote it to keep it as written: "${version}"`
      : `write engineVersion: "${version}" (quoted; ${text} is not a version AWS offers for global databases, ${version} is the nearest ${engine} one that is)`;
  return {
    ruleId: issue.code === 'invalid_type' ? 'schema.type' : 'schema.format',
    message: `${what}; ${write}`,
    value: version,
  };
}

function environmentFormat(value: unknown): Described {
  const suggestion =
    typeof value === 'string'
      ? value
          .toLowerCase()
          .replace(/[^a-z0-9-]+/g, '-')
          .replace(/^-+|-+$/g, '')
          .slice(0, 12)
          .replace(/-+$/, '')
      : '';
  const usable = suggestion !== '' && suggestion !== value;
  const fix = usable ? `write ${suggestion}` : 'write e.g. prod, qa or dev-2';
  return {
    ruleId: 'environment.format',
    message: `${render(value)} cannot be the environment suffix: it ends every AWS name, so it must be 1-12 lowercase letters, digits and inner hyphens; ${fix}`,
    value: usable ? suggestion : undefined,
  };
}

/** Messages for every other issue, from the issue and the field's schema. */
function generic(issue: Issue, segments: PathSegment[], node: SchemaNode | undefined, source?: SourceLookup): Described {
  const value = issue.input;
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined
        ? { ruleId: 'schema.required', message: `required field is missing${describe(node)}; add ${String(segments.at(-1))}` }
        : {
            ruleId: 'schema.type',
            message: wrongType(issue.expected, value, node, source?.(segments)),
            value: quotedFits(issue.expected, value, node, source?.(segments)),
          };
    case 'too_big':
    case 'too_small':
      return { ruleId: 'schema.bounds', message: outOfBounds(issue, value, node), value: nearestBound(issue, value, node) };
    case 'invalid_format':
      return {
        ruleId: 'schema.format',
        message: `${render(value)} is not valid here: expected ${issue.message}${describe(node)}`,
      };
    case 'invalid_value': {
      const quote =
        typeof value === 'boolean'
          ? '; YAML (as kubectl reads it) takes unquoted N, Y, yes, no, on and off as booleans, so quote the value, e.g. "N"'
          : '';
      return enumProblem(value, issue.values, node, quote);
    }
    case 'invalid_key': {
      // A map key that breaks the key schema: say which rule, not just "Invalid key in record".
      const inner = ((issue as { issues?: Array<{ message: string }> }).issues ?? []).map((i) => i.message);
      return {
        ruleId: 'schema.format',
        message: `the key ${render(value)} is not valid here: ${inner.length > 0 ? inner.join('; ') : issue.message}${describe(node)}`,
      };
    }
    default:
      return node?.enum
        ? enumProblem(value, node.enum, node, '')
        : { ruleId: 'schema.invalid', message: `${render(value)} is not valid here: ${issue.message}${describe(node)}` };
  }
}

function wrongType(expected: string, value: unknown, node: SchemaNode | undefined, sourceText: string | undefined): string {
  const base = `expected ${article(expected)}, got ${kindOf(value)} ${render(value)}${describe(node)}`;
  if (expected === 'string' && typeof value !== 'object' && sourceText !== undefined) {
    return `${base}; quote it to keep it as written: "${sourceText}" (unquoted YAML reads ${sourceText} as ${kindOf(value)})`;
  }
  return base;
}

/** The allowed value nearest to `value`: the closest number, or the likeliest typo of a string. */
function nearestOf(value: unknown, allowed: readonly unknown[]): unknown {
  if (typeof value === 'number') {
    const numbers = allowed.filter((a): a is number => typeof a === 'number');
    return numbers.reduce<number | undefined>(
      (best, a) => (best === undefined || Math.abs(a - value) < Math.abs(best - value) ? a : best),
      undefined,
    );
  }
  return typeof value === 'string' ? closest(value, allowed.map(String)) : undefined;
}

function enumProblem(value: unknown, allowed: readonly unknown[], node: SchemaNode | undefined, quote: string): Described {
  const nearest = nearestOf(value, allowed);
  const pick = nearest === undefined ? '' : ` (nearest: ${String(nearest)})`;
  return {
    ruleId: 'schema.enum',
    message: `${render(value)} is not allowed; write ${oneOf(allowed)}${pick}${describe(node)}${quote}`,
    value: nearest,
  };
}

/** The bound a number crossed, as the value to write (integers only when the field is an integer). */
function nearestBound(issue: Issue & { code: 'too_big' | 'too_small' }, value: unknown, node: SchemaNode | undefined): unknown {
  if (typeof value !== 'number' || node?.minimum === undefined || node.maximum === undefined) return undefined;
  return issue.code === 'too_big' ? node.maximum : node.minimum;
}

/** The text as written, quoted, when it is what the field accepts (a pattern the field declares included). */
function quotedFits(
  expected: string,
  value: unknown,
  node: SchemaNode | undefined,
  sourceText: string | undefined,
): string | undefined {
  if (expected !== 'string' || typeof value === 'object' || sourceText === undefined) return undefined;
  const pattern = (node as { pattern?: string } | undefined)?.pattern;
  if (pattern !== undefined && !new RegExp(pattern).test(sourceText)) return undefined;
  if (node?.enum && !node.enum.includes(sourceText)) return undefined;
  return sourceText;
}

function outOfBounds(issue: Issue & { code: 'too_big' | 'too_small' }, value: unknown, node: SchemaNode | undefined): string {
  const limit = Number(issue.code === 'too_big' ? issue.maximum : issue.minimum);
  const above = issue.code === 'too_big';
  const range =
    node?.minimum !== undefined && node.maximum !== undefined ? `; write a number from ${node.minimum} to ${node.maximum}` : '';
  switch (issue.origin) {
    case 'string':
      return `${render(value)} has ${String(value).length} characters, ${above ? 'more' : 'fewer'} than the ${limit} allowed${describe(node)}`;
    case 'array':
      return `${Array.isArray(value) ? value.length : 0} item(s), ${above ? 'more' : 'fewer'} than the ${limit} allowed${describe(node)}`;
    default:
      return `${render(value)} is ${above ? 'above the maximum' : 'below the minimum'} ${limit}${describe(node)}${range}`;
  }
}
