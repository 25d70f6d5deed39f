// Exit codes of the kubeone CLI, the same table as KubeOne (pkg/fail/exitcodes.go), so
// scripts written against KubeOne keep working.
export const ExitCode = {
  default: 1,
  runtime: 10,
  etcd: 11,
  kubeClient: 12,
  ssh: 13,
  connection: 14,
  config: 15,
  exec: 16,
} as const;

export type ExitCodeName = keyof typeof ExitCode;
export type ExitCodeValue = (typeof ExitCode)[ExitCodeName];

/**
 * An error that knows which exit code the CLI should end with. Other modules throw
 * subclasses (or this class directly) and the CLI maps them through `exitCodeOf`.
 */
export class KubeOneError extends Error {
  readonly exitCode: number;
  constructor(message: string, exitCode: number = ExitCode.default, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'KubeOneError';
    this.exitCode = exitCode;
  }
}

/** The exit code an error maps to: its own `exitCode` when it has a valid one, else 1. */
export function exitCodeOf(err: unknown): number {
  if (err && typeof err === 'object' && 'exitCode' in err) {
    const code = (err as { exitCode: unknown }).exitCode;
    if (typeof code === 'number' && Number.isInteger(code) && code > 0 && code < 256) return code;
  }
  return ExitCode.default;
}
