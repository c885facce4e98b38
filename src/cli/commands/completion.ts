/** `drctl completion bash|zsh`: a shell completion script built from the registered commands and their options. */
import type { Command } from 'commander';
import { CliError } from '../errors.js';

/** Subcommands and their long options, from the program itself (so completion never drifts). */
function words(program: Command): Record<string, string[]> {
  return Object.fromEntries(
    program.commands.map((c) => [c.name(), c.options.map((o) => o.long).filter((l): l is string => Boolean(l))]),
  );
}

function bash(program: Command): string {
  const table = words(program);
  const cases = Object.entries(table)
    .map(([cmd, opts]) => `    ${cmd}) opts="${opts.join(' ')}" ;;`)
    .join('\n');
  return `# drctl bash completion: source <(drctl completion bash)
_drctl() {
  local cur cmd opts
  cur="\${COMP_WORDS[COMP_CWORD]}"
  cmd="\${COMP_WORDS[1]}"
  if [[ $COMP_CWORD -eq 1 ]]; then
    COMPREPLY=( $(compgen -W "${Object.keys(table).join(' ')} help" -- "$cur") )
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
