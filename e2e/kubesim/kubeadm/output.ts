// kubeadm's console conventions: "[phase] message" lines on stdout, errors as
// "error execution phase X: ..." on stderr, exit code 1.
export class KubeadmError extends Error {
  constructor(
    message: string,
    readonly phase?: string,
  ) {
    super(message);
  }
}

export const out = (line = ''): void => {
  process.stdout.write(line + '\n');
};

export const warn = (line: string): void => {
  process.stderr.write(`W${stamp()} ${process.pid} ${line}\n`);
};

function stamp(): string {
  const d = new Date();
  return `${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')} ${d.toISOString().slice(11, 23)}`;
}

/** Run a named phase, turning its failure into kubeadm's "error execution phase" form. */
export async function phase<T>(name: string, skip: string[], fn: () => Promise<T> | T): Promise<T | undefined> {
  const parts = name.split('/');
  if (skip.includes(name) || skip.includes(parts[0]!) || skip.includes('all')) {
    return undefined;
  }
  try {
    return await fn();
  } catch (err) {
    if (err instanceof KubeadmError && err.phase) throw err;
    throw new KubeadmError((err as Error).message, name);
  }
}

export function formatFatal(err: unknown): string {
  if (err instanceof KubeadmError && err.phase) return `error execution phase ${err.phase}: ${err.message}\nTo see the stack trace of this error execute with --v=5 or higher`;
  return `${(err as Error).message}\nTo see the stack trace of this error execute with --v=5 or higher`;
}
