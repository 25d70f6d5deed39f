// Registry credentials from the Docker client's config file ($DOCKER_CONFIG/config.json or
// ~/.docker/config.json), as crane reads them: `auths.<registry>.auth` (base64 user:password)
// or `username`/`password`, `identitytoken`. Credential helpers are not run.
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface RegistryCredentials {
  username?: string;
  password?: string;
  /** An OAuth2 refresh token (identitytoken). */
  identityToken?: string;
}

export type CredentialLookup = (registry: string) => RegistryCredentials | undefined;

interface DockerAuth {
  auth?: string;
  username?: string;
  password?: string;
  identitytoken?: string;
}

/** Keys Docker uses for Docker Hub and plain host names. */
function keysFor(registry: string): string[] {
  if (registry === 'docker.io' || registry === 'index.docker.io' || registry === 'registry-1.docker.io') {
    return ['https://index.docker.io/v1/', 'index.docker.io', 'docker.io', 'registry-1.docker.io'];
  }
  return [registry, `https://${registry}`, `http://${registry}`, `https://${registry}/v1/`, `https://${registry}/v2/`];
}

export function dockerConfigCredentials(env: NodeJS.ProcessEnv = process.env): CredentialLookup {
  const file = path.join(env.DOCKER_CONFIG || path.join(os.homedir(), '.docker'), 'config.json');
  let auths: Record<string, DockerAuth> = {};
  try {
    auths = (JSON.parse(readFileSync(file, 'utf8')) as { auths?: Record<string, DockerAuth> }).auths ?? {};
  } catch {
    // No config (or an unreadable one): anonymous access.
  }
  return (registry) => {
    for (const key of keysFor(registry)) {
      const a = auths[key];
      if (!a) continue;
      if (a.identitytoken) return { identityToken: a.identitytoken };
      if (a.auth) {
        const plain = Buffer.from(a.auth, 'base64').toString('utf8');
        const i = plain.indexOf(':');
        if (i > 0) return { username: plain.slice(0, i), password: plain.slice(i + 1) };
      }
      if (a.username) return { username: a.username, password: a.password ?? '' };
    }
    return undefined;
  };
}
