/**
 * Turns zod issues into problems a person can act on: the field, what is wrong with the value,
 * what the field is for (its schema description) and what to write instead. Fields with a
 * well-known failure get their own rule id and message (regions, environment, emails, CIDRs).
 */
import type { core } from 'zod';
import { AWS_REGIONS } from '../api/regions.js';
import { type PathSegment, type SchemaNode, formatPath, schemaAt } from './schema-tree.js';
import { closest } from './suggest.js';
import type { Problem } from './types.js';

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

/** Converts one zod issue into a problem (without a source position). */
export function issueToProblem(issue: Issue, source?: SourceLookup): Problem {
  const segments = issue.path as PathSegment[];
  const node = schemaAt(segments);
  const special = specialCase(issue, segments);
  const { ruleId, message } = special ?? generic(issue, segments, node, source);
  return { path: formatPath(segments), message, ruleId, severity: 'error' };
}

type Described = { ruleId: string; message: string };

/** Messages for fields whose mistakes are common enough to deserve their own rule id. */
function specialCase(issue: Issue, segments: PathSegment[]): Described | undefined {
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
    };
  }
  if (segments.length === 4 && path.startsWith('spec.network.cidrs.') && issue.code === 'invalid_format') {
    return {
      ruleId: 'network.cidr-invalid',
      message: `${render(value)} is not an IPv4 CIDR: write four octets and a prefix length, such as 10.0.0.0/16`,
    };
  }
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
  return { ruleId: 'regions.unknown', message: `${render(value)} is not an AWS region drplane knows; ${fix}` };
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
  const fix = suggestion !== '' && suggestion !== value ? `write ${suggestion}` : 'write e.g. prod, qa or dev-2';
  return {
    ruleId: 'environment.format',
    message: `${render(value)} cannot be the environment suffix: it ends every AWS name, so it must be 1-12 lowercase letters, digits and inner hyphens; ${fix}`,
  };
}

/** Messages for every other issue, from the issue and the field's schema. */
function generic(issue: Issue, segments: PathSegment[], node: SchemaNode | undefined, source?: SourceLookup): Described {
  const value = issue.input;
  switch (issue.code) {
    case 'invalid_type':
      return value === undefined
        ? { ruleId: 'schema.required', message: `required field is missing${describe(node)}; add ${String(segments.at(-1))}` }
        : { ruleId: 'schema.type', message: wrongType(issue.expected, value, node, source?.(segments)) };
    case 'too_big':
    case 'too_small':
      return { ruleId: 'schema.bounds', message: outOfBounds(issue, value, node) };
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
      return {
        ruleId: 'schema.enum',
        message: `${render(value)} is not allowed; write ${oneOf(issue.values)}${describe(node)}${quote}`,
      };
    }
    default:
      return node?.enum
        ? { ruleId: 'schema.enum', message: `${render(value)} is not allowed; write ${oneOf(node.enum)}${describe(node)}` }
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
