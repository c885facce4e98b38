/** `drctl completion bash|zsh`: a shell completion script built from the registered commands and their options. */
import type { Command } from 'commander';
import { type SchemaNode, claimSchema, fieldsOf, formatPath, type PathSegment } from '../../policy/schema-tree.js';
import { CliError } from '../errors.js';

/** Subcommands and their long options, from the program itself (so completion never drifts). */
function words(program: Command): Record<string, string[]> {
  return Object.fromEntries(
    program.commands.map((c) => [c.name(), c.options.map((o) => o.long).filter((l): l is string => Boolean(l))]),
  );
}

/** `command:--option` → the values the option takes (its choices, e.g. the --output formats). */
function optionValues(program: Command): [string, string[]][] {
  return program.commands.flatMap((c) =>
    c.options
      .filter((o) => o.long && o.argChoices && o.argChoices.length > 0)
      .flatMap((o) =>
        [o.long!, ...(o.short ? [o.short] : [])].map((flag) => [`${c.name()}:${flag}`, [...o.argChoices!]] as [string, string[]]),
      ),
  );
}

/** Every field path `drctl explain` takes (list items entered by field name; maps of any key stop the walk). */
export function fieldPaths(node: SchemaNode = claimSchema(), prefix: PathSegment[] = []): string[] {
  return Object.entries(fieldsOf(node) ?? {}).flatMap(([name, child]) => {
    const path = [...prefix, name];
    return [formatPath(path), ...fieldPaths(child, path)];
  });
}

function bash(program: Command): string {
  const table = words(program);
  const cases = Object.entries(table)
    .map(([cmd, opts]) => `    ${cmd}) opts="${opts.join(' ')}" ;;`)
    .join('\n');
  const valueCases = optionValues(program)
    .map(([key, values]) => `    ${key}) COMPREPLY=( $(compgen -W "${values.join(' ')}" -- "$cur") ); return ;;`)
    .join('\n');
  const paths = ['spec', ...fieldPaths().filter((p) => p !== 'spec')].join(' ');
  return `# drctl bash completion: source <(drctl completion bash)
_drctl() {
  local cur prev cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  prev="\${COMP_WORDS[COMP_CWORD-1]}"
  cmd="\${COMP_WORDS[1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${Object.keys(table).join(' ')} help" -- "$cur") )
    return
  fi
  case "$cmd:$prev" in
${valueCases}
  esac
  if [[ "$cmd" == explain && "$cur" != -* ]]; then
    COMPREPLY=( $(compgen -W "${paths}" -- "$cur") )
    return
  fi
  case "$cmd" in
${cases}
    *) opts="" ;;
  esac
  if [[ "$cur" == -* ]]; then
    COMPREPLY=( $(compgen -W "$opts --help" -- "$cur") )
  else
    COMPREPLY=( $(compgen -f -- "$cur") )
  fi
}
complete -o filenames -F _drctl drctl
`;
}

/** Registers the completion command. */
export function register(program: Command): void {
  program
    .command('completion')
    .description('print a shell completion script (bash or zsh)')
    .argument('[shell]', 'bash or zsh', 'bash')
    .addHelpText(
      'after',
      `
Examples:
  $ drctl completion bash > ~/.local/share/bash-completion/completions/drctl
  $ source <(drctl completion bash)
  $ drctl completion zsh > "\${fpath[1]}/_drctl"`,
    )
    .action((shell: string) => {
      if (shell === 'bash') process.stdout.write(bash(program));
      else if (shell === 'zsh')
        process.stdout.write(`#compdef drctl\nautoload -U bashcompinit && bashcompinit\n${bash(program)}`);
      else throw new CliError(`completion for ${shell} is not available; use bash or zsh`);
    });
}
