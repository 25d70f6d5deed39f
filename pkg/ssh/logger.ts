// The logging surface pkg/ssh and pkg/probe need; a winston Logger satisfies it.
// Messages never contain key material, tokens or file contents.
export interface Logger {
  debug(message: string): unknown;
  info(message: string): unknown;
  warn(message: string): unknown;
}

export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
