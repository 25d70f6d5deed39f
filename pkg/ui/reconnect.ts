// The dashboard runs for hours; the SSH connection its API client rides on may not. A failure
// that is not an answer from the API (no HTTP status: the tunnel, the host) drops the
// connection, and the next request finds a control plane again (the leader first).
import type { UiBackend } from './server.js';

export interface Connection {
  backend: UiBackend;
  /** The control plane the API is reached through. */
  via: string;
  close(): void;
}

export interface ReconnectingBackend extends UiBackend {
  /** The current connection, made when there is none (one attempt at a time). */
  connection(): Promise<Connection>;
  close(): void;
}

const isApiAnswer = (error: unknown): boolean => typeof (error as { code?: unknown })?.code === 'number';

export function reconnectingBackend(connect: () => Promise<Connection>): ReconnectingBackend {
  let current: Promise<Connection> | undefined;

  const connection = (): Promise<Connection> => {
    if (!current) {
      const attempt = connect();
      current = attempt;
      // A failed attempt is not kept: the next request tries again.
      attempt.catch(() => {
        if (current === attempt) current = undefined;
      });
    }
    return current;
  };

  async function using<T>(fn: (backend: UiBackend) => Promise<T>): Promise<T> {
    const pending = connection();
    const c = await pending;
    try {
      return await fn(c.backend);
    } catch (error) {
      if (!isApiAnswer(error) && current === pending) {
        current = undefined;
        c.close();
      }
      throw error;
    }
  }

  return {
    connection,
    overview: () => using((b) => b.overview()),
    pods: (node) => using((b) => b.pods(node)),
    scale: (ns, name, direction) => using((b) => b.scale(ns, name, direction)),
    rollout: (ns, name) => using((b) => b.rollout(ns, name)),
    deleteMachine: (ns, name) => using((b) => b.deleteMachine(ns, name)),
    deletePod: (ns, name) => using((b) => b.deletePod(ns, name)),
    close() {
      const last = current;
      current = undefined;
      void last?.then((c) => c.close(), () => undefined);
    },
  };
}
