import winston from 'winston';
import { redactText, redactValue } from './redact.js';

export type LogFormat = 'text' | 'json';

export interface LoggerOptions {
  verbose?: boolean;
  format?: LogFormat;
  /** Where log lines go; stderr by default so stdout stays for command output. */
  stream?: NodeJS.WritableStream;
}

export type Logger = winston.Logger;

const SPLAT = Symbol.for('splat');

/** winston format masking secrets in the message and every metadata field. */
const redaction = winston.format((info) => {
  for (const key of Object.keys(info)) {
    if (key === 'level') continue;
    info[key] = redactValue(info[key]);
  }
  if (typeof info.message === 'string') info.message = redactText(info.message);
  const splat = (info as Record<symbol, unknown>)[SPLAT];
  if (Array.isArray(splat)) (info as Record<symbol, unknown>)[SPLAT] = splat.map((v) => redactValue(v));
  return info;
});

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
  const format = options.format ?? 'text';
  const finalFormat =
    format === 'json'
      ? winston.format.combine(redaction(), winston.format.timestamp(), winston.format.json())
      : winston.format.combine(
          redaction(),
          winston.format.timestamp({ format: 'HH:mm:ss' }),
          winston.format.printf(textLine),
        );
  const stream = options.stream ?? process.stderr;
  return winston.createLogger({
    level: options.verbose ? 'debug' : 'info',
    format: finalFormat,
    transports: [new winston.transports.Stream({ stream })],
  });
}

