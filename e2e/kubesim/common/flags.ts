// pflag-style command line parsing: --name=value, --name value, bare booleans,
// positional arguments; unknown flags are an error worded like cobra/pflag.

export type FlagKind = 'string' | 'bool' | 'list';

export interface ParsedArgs {
  flags: Map<string, string[]>;
  positional: string[];
}

export class FlagError extends Error {}

export function parseArgs(argv: string[], known: Record<string, FlagKind>, shorthands: Record<string, string> = {}): ParsedArgs {
  const flags = new Map<string, string[]>();
  const positional: string[] = [];
  const add = (name: string, value: string): void => {
    const kind = known[name]!;
    const values = kind === 'list' ? value.split(',').filter((v) => v !== '') : [value];
    flags.set(name, kind === 'list' ? [...(flags.get(name) ?? []), ...values] : values);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const body = arg.slice(long ? 2 : 1);
    const eq = body.indexOf('=');
    let name = eq >= 0 ? body.slice(0, eq) : body;
    if (!long) {
      const full = shorthands[name];
      if (!full) throw new FlagError(`unknown shorthand flag: '${name[0]}' in ${arg}`);
      name = full;
    }
    const kind = known[name];
    if (!kind) throw new FlagError(`unknown flag: --${name}`);
    if (eq >= 0) {
      add(name, body.slice(eq + 1));
    } else if (kind === 'bool') {
      add(name, 'true');
    } else {
      const next = argv[i + 1];
      if (next === undefined) throw new FlagError(`flag needs an argument: --${name}`);
      add(name, next);
      i++;
    }
  }
  return { flags, positional };
}

export function flagString(a: ParsedArgs, name: string): string | undefined {
  const v = a.flags.get(name);
  return v ? v[v.length - 1] : undefined;
}

export function flagBool(a: ParsedArgs, name: string): boolean {
  const v = flagString(a, name);
  return v !== undefined && v !== 'false';
}

export function flagList(a: ParsedArgs, name: string): string[] {
  return a.flags.get(name) ?? [];
}

/** Exit only after stdout and stderr are flushed (pipes are asynchronous in Node). */
export function exitAfterFlush(code: number): void {
  process.stdout.write('', () => process.stderr.write('', () => process.exit(code)));
}
