import type { CommandFactory } from '../shared/context.js';

// Both scripts ask the CLI itself for candidates (yargs' --get-yargs-completions), so
// commands added later complete without touching these scripts.
const BASH = `# kubeone bash completion: source <(kubeone completion bash)
_kubeone_completions() {
  local cur words
  cur="\${COMP_WORDS[COMP_CWORD]}"
  words=("\${COMP_WORDS[@]:1:COMP_CWORD}")
  COMPREPLY=( $(compgen -W "$(kubeone --get-yargs-completions "\${words[@]}" 2>/dev/null)" -- "$cur") )
}
complete -o default -F _kubeone_completions kubeone
`;

const ZSH = `#compdef kubeone
# kubeone zsh completion: source <(kubeone completion zsh)
_kubeone() {
  local -a candidates
  candidates=(\${(f)"$(kubeone --get-yargs-completions "\${(@)words[2,CURRENT]}" 2>/dev/null)"})
  _describe 'kubeone' candidates
}
if [[ "$(basename -- \${(%):-%x})" != "_kubeone" ]]; then compdef _kubeone kubeone; fi
`;

export const completionCommand: CommandFactory = (ctx) => ({
  command: 'completion <shell>',
  describe: 'Print a shell completion script (bash or zsh)',
  builder: (y) => y.positional('shell', { choices: ['bash', 'zsh'] as const, demandOption: true }),
  handler: ctx.run<{ shell?: string }>((argv) => {
    ctx.print(argv.shell === 'zsh' ? ZSH : BASH);
  }),
});
