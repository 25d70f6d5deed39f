// The logging surface pkg/ssh and pkg/probe need; a winston Logger satisfies it.
// Messages never contain key material, tokens or file contents.
export interface Logger {
  debug(message: string): unknown;
  info(message: string): unknown;
  warn(message: string): unknown;
  /**
   * Load the logging backend now, while the caller only waits on the network, so that the
   * first message later does not pay for it (the CLI's logger loads winston on first use).
   */
  prepare?(): void;
}

export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined };
