import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type winston from 'winston';
import { redactText, redactValue } from './redact.js';

export type LogFormat = 'text' | 'json';

export interface LoggerOptions {
  verbose?: boolean;
  format?: LogFormat;
  /** Where log lines go; stderr by default so stdout stays for command output. */
  stream?: NodeJS.WritableStream;
}

export type Logger = Pick<winston.Logger, 'error' | 'warn' | 'info' | 'debug'> & {
  /** Loads winston now (pkg/ssh/logger.ts Logger.prepare): the caller is idle, waiting on hosts. */
  prepare?(): void;
};

const SPLAT = Symbol.for('splat');

// winston's npm levels, lowest is most severe: what passes `level` is logged.
const SEVERITY = { error: 0, warn: 1, info: 2, debug: 5 } as const;

/** Where the build writes winston as one file (hack/bundle-cli.ts), relative to dist/. */
export const WINSTON_BUNDLE = 'vendor/winston.cjs';

/**
 * winston itself (CommonJS), required on the first message logged: most runs log nothing.
 * The built CLI requires the one-file build of it, found upward from this module (dist/pkg/log/,
 * dist/cmd/ or dist/cmd/bundle/); from sources there is none and the package is required.
 */
function loadWinston(): typeof winston {
  const require = createRequire(import.meta.url);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 3; i++, dir = dirname(dir)) {
    const bundled = join(dir, WINSTON_BUNDLE);
    if (existsSync(bundled)) return require(bundled) as typeof winston;
  }
  return require('winston') as typeof winston;
}

/** winston format masking secrets in the message and every metadata field. */
function redaction(w: typeof winston) {
  return w.format((info) => {
    for (const key of Object.keys(info)) {
      if (key === 'level') continue;
      info[key] = redactValue(info[key]);
    }
    if (typeof info.message === 'string') info.message = redactText(info.message);
    const splat = (info as Record<symbol, unknown>)[SPLAT];
    if (Array.isArray(splat)) (info as Record<symbol, unknown>)[SPLAT] = splat.map((v) => redactValue(v));
    return info;
  })();
}

function textLine(info: winston.Logform.TransformableInfo): string {
  const { level, message, timestamp, ...rest } = info;
  const meta = Object.entries(rest)
    .filter(([k]) => typeof k === 'string')
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(' ');
  return `${String(timestamp)} ${level.toUpperCase().padEnd(5)} ${String(message)}${meta ? ' ' + meta : ''}`;
}

/**
 * The CLI logger: text (`HH:MM:SS LEVEL message k=v`) or JSON lines, on stderr,
 * with secrets masked. `verbose` turns on debug messages.
 */
export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.verbose ? 'debug' : 'info';
  let logger: winston.Logger | undefined;
  const real = (): winston.Logger => (logger ??= createWinstonLogger(loadWinston(), level, options));
  const method = (name: keyof typeof SEVERITY) =>
    // Below the level nothing is written, so winston need not load for it.
    ((...args: unknown[]) => (SEVERITY[name] <= SEVERITY[level] ? (real()[name] as (...a: unknown[]) => unknown)(...args) : undefined)) as winston.LeveledLogMethod;
  return { error: method('error'), warn: method('warn'), info: method('info'), debug: method('debug'), prepare: () => void real() };
}

function createWinstonLogger(w: typeof winston, level: string, options: LoggerOptions): winston.Logger {
  const format = options.format ?? 'text';
  const finalFormat =
    format === 'json'
      ? w.format.combine(redaction(w), w.format.timestamp(), w.format.json())
      : w.format.combine(redaction(w), w.format.timestamp({ format: 'HH:mm:ss' }), w.format.printf(textLine));
  return w.createLogger({ level, format: finalFormat, transports: [new w.transports.Stream({ stream: options.stream ?? process.stderr })] });
}

