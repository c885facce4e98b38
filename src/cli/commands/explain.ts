/** `drctl explain FIELD`: the schema's description of a claim field, like `kubectl explain`. */
import type { Command } from 'commander';
import { claimSchema, formatPath, parsePath, schemaAt, typeName, type SchemaNode } from '../../policy/schema-tree.js';
import { CliError } from '../errors.js';
import { colors } from '../output.js';

/** Registers the explain command. */
export function register(program: Command): void {
  program
    .command('explain')
    .description('describe a field of the DisasterRecovery claim')
    .argument('[field]', 'field path such as spec.database.engineVersion', 'spec')
    .addHelpText(
      'after',
      `
Examples:
  $ drctl explain spec
  $ drctl explain spec.routing.healthCheck.intervalSeconds
  $ drctl explain spec.tables.hashKey`,
    )
    .action((field: string) => {
      const segments = parsePath(field.replace(/^(DisasterRecovery|disasterrecovery)\.?/, ''));
      const node = schemaAt(segments, claimSchema());
      if (!node) throw new CliError(`${field} is not a field of the DisasterRecovery claim; try \`drctl explain spec\` to see the fields`, 1);
      process.stdout.write(explain(formatPath(segments) || '(claim)', node));
    });
}

/** The explanation text of one field. */
export function explain(path: string, node: SchemaNode): string {
  const c = colors();
  const lines = [`${c.bold('FIELD:')}    ${path}`, `${c.bold('TYPE:')}     ${typeName(node)}`];
  if (node.default !== undefined) lines.push(`${c.bold('DEFAULT:')}  ${JSON.stringify(node.default)}`);
  if (node.enum) lines.push(`${c.bold('VALUES:')}   ${node.enum.map(String).join(', ')}`);
  const bounds = [
    node.minimum !== undefined ? `minimum ${node.minimum}` : '',
    node.maximum !== undefined ? `maximum ${node.maximum}` : '',
    node.minLength !== undefined ? `min length ${node.minLength}` : '',
    node.maxLength !== undefined ? `max length ${node.maxLength}` : '',
    node.maxItems !== undefined ? `at most ${node.maxItems} items` : '',
    node.pattern !== undefined ? `pattern ${node.pattern}` : '',
  ].filter(Boolean);
  if (bounds.length) lines.push(`${c.bold('BOUNDS:')}   ${bounds.join(', ')}`);
  lines.push('', c.bold('DESCRIPTION:'), `  ${node.description ?? '(none)'}`);
  const children = node.properties ?? node.items?.properties;
  if (children) {
    const required = new Set(node.required ?? node.items?.required ?? []);
    lines.push('', c.bold('FIELDS:'));
    for (const [name, child] of Object.entries(children)) {
      lines.push(`  ${c.bold(name)}\t<${typeName(child)}>${required.has(name) ? ' -required-' : ''}`, `    ${child.description ?? ''}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
