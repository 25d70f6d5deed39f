// `kube-apiserver` executable of the simulator: node cli.js --etcd-servers=... (bundle entry).
import { FlagError, runApiServerFromArgs } from './flags.js';

async function main(): Promise<void> {
  try {
    const server = await runApiServerFromArgs(process.argv.slice(2));
    const stop = (): void => {
      void server.close().then(() => process.exit(0));
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  } catch (err) {
    process.stderr.write(`Error: ${(err as Error).message}\n`);
    process.exit(err instanceof FlagError ? 1 : 255);
  }
}

void main();
