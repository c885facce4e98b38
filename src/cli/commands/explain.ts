/** `drctl explain FIELD`: the schema's description of a claim field, like `kubectl explain`. */
import type { Command } from 'commander';
import { API_VERSION } from '../../api/claim.js';
import { DATABASE_ENGINES, LAMBDA_RUNTIMES } from '../../api/sections.js';
import { GLOBAL_DATABASE_FAMILIES } from '../../facts/aurora-global.js';
import { AURORA_FACTS } from '../../facts/aurora.js';
import { describeSource } from '../../facts/source.js';
import type { AuroraVersion } from '../../facts/aurora-versions.js';
import { blocksOf, findRuntime, isDeprecated } from '../../facts/lambda-runtimes.js';
import { acceptedVersions } from '../../policy/engine-versions.js';
import {
  type PathSegment,
  type SchemaNode,
  childSchema,
  claimSchema,
  fieldsOf,
  formatPath,
  mapValues,
  parsePath,
  typeName,
} from '../../policy/schema-tree.js';
import { closest } from '../../policy/suggest.js';
import { CliError, EXIT } from '../errors.js';
import { colors } from '../output.js';

/** Registers the explain command. */
export function register(program: Command): void {
  program
    .command('explain')
    .description('describe a field of the DisasterRecovery claim: type, default, bounds, children')
    .argument('[field]', 'field path such as spec.database.engineVersion (default: the whole claim)', '')
    .option('-r, --recursive', 'list every field below, as a tree')
    .addHelpText(
      'after',
      `
Examples:
  $ drctl explain spec
  $ drctl explain spec.database.engineVersion     also lists the versions accepted today
  $ drctl explain spec.tables.hashKey             list items are entered by field name
  $ drctl explain spec.routing --recursive

Exits 1 when the field does not exist.`,
    )
    .action((field: string, opts: { recursive?: boolean }) => {
      const segments = parsePath(field.replace(/^disasterrecovery\.?/i, ''));
      const node = resolve(segments);
      process.stdout.write(opts.recursive ? tree(formatPath(segments), node) : explain(segments, node));
    });
}

/** The schema at a path, or a CliError naming the first segment that does not exist. */
export function resolve(segments: readonly PathSegment[]): SchemaNode {
  let node = claimSchema();
  segments.forEach((segment, i) => {
    const child = childSchema(node, segment);
    if (!child) {
      const fields = Object.keys(fieldsOf(node) ?? {});
      const guess = typeof segment === 'string' ? closest(segment, fields) : undefined;
      const where = i === 0 ? 'the DisasterRecovery claim' : formatPath(segments.slice(0, i));
      const hint = guess
        ? `did you mean ${formatPath([...segments.slice(0, i), guess])}?`
        : fields.length > 0
          ? `its fields are ${fields.join(', ')}`
          : `${where} has no fields`;
      throw new CliError(
        `${formatPath(segments)} is not a field of the claim: ${where} has no field ${JSON.stringify(segment)}; ${hint}`,
        EXIT.invalid,
      );
    }
    node = child;
  });
  return node;
}

/** The explanation of one field. */
export function explain(segments: readonly PathSegment[], node: SchemaNode): string {
  const c = colors();
  const path = formatPath(segments);
  const lines = [`${c.bold('KIND:')}     DisasterRecovery`, `${c.bold('VERSION:')}  ${API_VERSION}`, ''];
  lines.push(
    `${c.bold('FIELD:')}    ${path || '(the whole claim)'} <${typeName(node)}>${isRequired(segments) ? ' -required-' : ''}`,
  );
  lines.push('', c.bold('DESCRIPTION:'), ...wrap(node.description ?? '(no description)', '    '));
  const facts = factsOf(node);
  if (facts.length > 0) lines.push('', ...facts.map(([label, text]) => `${c.bold(`${label}:`.padEnd(9))} ${text}`));
  const notes = policyNotes(path);
  if (notes.length > 0) lines.push('', c.bold('WHAT drctl validate ACCEPTS TODAY:'), ...notes.flatMap((n) => wrap(n, '    ')));
  const fields = fieldsOf(node);
  const values = mapValues(node);
  if (fields) {
    const required = new Set(node.required ?? node.items?.required ?? []);
    lines.push('', c.bold('FIELDS:'));
    for (const [name, child] of Object.entries(fields)) {
      lines.push(
        `  ${c.bold(name)}\t<${typeName(child)}>${required.has(name) ? ' -required-' : ''}`,
        ...wrap(child.description ?? '', '    '),
      );
    }
  } else if (values) {
    lines.push('', `${c.bold('VALUES:')}   every key maps to <${typeName(values)}>: ${values.description ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}

/** True when the field is required in its parent (after defaults). */
function isRequired(segments: readonly PathSegment[]): boolean {
  if (segments.length === 0) return false;
  let parent = claimSchema();
  for (const segment of segments.slice(0, -1)) parent = childSchema(parent, segment) ?? parent;
  const required = parent.required ?? parent.items?.required ?? [];
  return required.includes(String(segments.at(-1)));
}

/** Default, allowed values and bounds of a node, as label/text pairs. */
function factsOf(node: SchemaNode): Array<[string, string]> {
  const facts: Array<[string, string]> = [];
  if (node.default !== undefined) facts.push(['DEFAULT', JSON.stringify(node.default)]);
  const allowed = node.enum ?? node.items?.enum;
  if (allowed) facts.push(['ENUM', allowed.map(String).join(', ')]);
  const bounds = [
    node.minimum !== undefined ? `minimum ${node.minimum}` : '',
    node.maximum !== undefined ? `maximum ${node.maximum}` : '',
    node.minLength !== undefined ? `at least ${node.minLength} characters` : '',
    node.maxLength !== undefined ? `at most ${node.maxLength} characters` : '',
    node.minItems !== undefined ? `at least ${node.minItems} items` : '',
    node.maxItems !== undefined ? `at most ${node.maxItems} items` : '',
    node.maxProperties !== undefined ? `at most ${node.maxProperties} entries` : '',
  ].filter(Boolean);
  if (bounds.length > 0) facts.push(['BOUNDS', bounds.join(', ')]);
  if (node.pattern !== undefined) facts.push(['PATTERN', node.pattern]);
  return facts;
}

/** What the policy rules add to a field's schema (versions accepted today, instance families). */
function policyNotes(path: string): string[] {
  if (path === 'spec.database.engineVersion') {
    const today = new Date();
    const versions = DATABASE_ENGINES.flatMap((engine) => {
      const byMajor = new Map<string, AuroraVersion[]>();
      for (const row of acceptedVersions(engine, today)) {
        const major = `${engine} ${row.major}`;
        byMajor.set(major, [...(byMajor.get(major) ?? []), row]);
      }
      return [...byMajor].map(
        ([major, rows]) =>
          `${major}: ${rows.map((r) => r.version).join(', ')} (standard support until ${rows[0]!.endOfStandardSupport}).`,
      );
    });
    return [
      ...versions,
      `Versions from ${describeSource(AURORA_FACTS.source)} (npm run facts); a version newer than that data, or one whose global-database support drplane has not confirmed, draws a warning; a deprecated one is refused.`,
    ];
  }
  if (path === 'spec.service.runtime') {
    const today = new Date();
    return LAMBDA_RUNTIMES.map((runtime) => {
      const row = findRuntime(runtime);
      if (!row) return `${runtime}: no deprecation date known.`;
      if (isDeprecated(row, today))
        return `${runtime}: refused (deprecated by AWS on ${row.deprecation}; ${blocksOf(row, today)}); the API accepts it only so estates that still use it keep reconciling.`;
      return `${runtime}: until ${row.deprecation}, when AWS deprecates it (${blocksOf(row, today)}).`;
    });
  }
  if (path === 'spec.database.instanceClass') {
    return [
      `Aurora global databases accept ${GLOBAL_DATABASE_FAMILIES.map((f) => `db.${f}`).join(', ')} classes, size large or bigger; burstable db.t* classes are refused.`,
      `The class must be offered for the engine in every region of the claim (${describeSource(AURORA_FACTS.source)}); drctl validate names the regions that lack it and the nearest class they all offer.`,
    ];
  }
  return [];
}

/** Every field below a node, indented, with types. */
export function tree(path: string, node: SchemaNode, depth = 0): string {
  const lines = depth === 0 ? [`${path || 'DisasterRecovery'} <${typeName(node)}>`] : [];
  const fields = fieldsOf(node);
  const values = mapValues(node);
  for (const [name, child] of Object.entries(fields ?? {})) {
    lines.push(`${'  '.repeat(depth + 1)}${name} <${typeName(child)}>`);
    const nested = tree(path, child, depth + 1);
    if (nested) lines.push(nested.trimEnd());
  }
  if (!fields && values && (fieldsOf(values) || mapValues(values))) lines.push(tree(path, values, depth).trimEnd());
  return lines.length > 0 ? `${lines.join('\n')}\n` : '';
}

/** Words of a text wrapped at 96 columns with an indent. */
function wrap(text: string, indent: string): string[] {
  if (text === '') return [];
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line !== '' && indent.length + line.length + word.length + 1 > 96) {
      lines.push(indent + line);
      line = word;
    } else {
      line = line === '' ? word : `${line} ${word}`;
    }
  }
  lines.push(indent + line);
  return lines;
}
