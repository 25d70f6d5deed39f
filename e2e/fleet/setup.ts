// Runs the repository's set-up scripts (hack/) from TypeScript, streaming their
// progress lines to stderr so a person sees what is being prepared.
import { spawn } from 'node:child_process';
import path from 'node:path';

import { REPO_ROOT } from './manifest.js';

export function runHackScript(script: string, quiet = false): Promise<void> {
  const file = path.join(REPO_ROOT, 'hack', script);
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [file], { stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if (!quiet) process.stderr.write(d);
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`hack/${script} failed (exit ${code}):\n${stderr.trim().split('\n').slice(-20).join('\n')}`)),
    );
  });
}

/** Builds the host image when its recipe changed; takes ~0.1 s when it is present. */
export function ensureHostImage(quiet = true): Promise<void> {
  return runHackScript('build-host-image.sh', quiet);
}

export function ensureDocker(quiet = false): Promise<void> {
  return runHackScript('ensure-docker.sh', quiet);
}
