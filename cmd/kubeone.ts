#!/usr/bin/env node
import { runCli } from './cli.js';

// `kubeone config print | head`: a closed pipe is a normal end, not a crash.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw err;
});

process.exitCode = await runCli(process.argv.slice(2));
