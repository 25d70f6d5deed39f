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

// Fish asks the same way; `commandline -opc` gives the words before the cursor, `-ct` the one being typed.
const FISH = `# kubeone fish completion: kubeone completion fish | source
function __kubeone_complete
    set -l words (commandline -opc) (commandline -ct)
    set -e words[1]
    kubeone --get-yargs-completions $words 2>/dev/null
end
complete -c kubeone -f -a '(__kubeone_complete)'
`;

const SCRIPTS = { bash: BASH, zsh: ZSH, fish: FISH } as const;

export const completionCommand: CommandFactory = (ctx) => ({
  command: 'completion <shell>',
  describe: 'Print a shell completion script (bash, zsh or fish). Exit codes: 0; 1 for another shell',
  builder: (y) =>
    y
      .positional('shell', { choices: ['bash', 'zsh', 'fish'] as const, demandOption: true })
      .example('source <(kubeone completion bash)', 'bash (zsh the same)')
      .example('kubeone completion fish | source', 'fish'),
  handler: ctx.run<{ shell: keyof typeof SCRIPTS }>((argv) => {
    ctx.print(SCRIPTS[argv.shell]);
  }),
});
