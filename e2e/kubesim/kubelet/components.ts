// Control plane components run as child processes of the kubelet from the same
// bundle: "kubelet __component kube-apiserver --sim-version=v1.35.1 <flags>".
// Each exits when the kubelet that started it is gone.
import { runApiServerFromArgs } from '../apiserver/index.js';
import { runControllerManager, runScheduler } from '../controllers/controller-manager.js';

function watchParent(): void {
  const parent = Number(process.env.KUBESIM_PARENT_PID ?? 0);
  if (!parent) return;
  setInterval(() => {
    try {
      process.kill(parent, 0);
    } catch {
      process.exit(0);
    }
  }, 2000).unref();
}

export async function runComponent(name: string, argv: string[]): Promise<void> {
  process.title = name;
  watchParent();
  const log = (l: string): void => {
    process.stderr.write(`I${new Date().toISOString().slice(5, 10).replace('-', '')} ${new Date().toISOString().slice(11, 23)} ${process.pid} ${name}] ${l}\n`);
  };
  process.once('SIGTERM', () => process.exit(0));
  process.once('SIGINT', () => process.exit(0));
  try {
    switch (name) {
      case 'kube-apiserver': {
        const server = await runApiServerFromArgs(argv);
        process.removeAllListeners('SIGTERM');
        process.once('SIGTERM', () => void server.close().then(() => process.exit(0)));
        return;
      }
      case 'kube-controller-manager':
        await runControllerManager(argv.filter((a) => !a.startsWith('--sim-version')), log);
        return;
      case 'kube-scheduler':
        await runScheduler(argv.filter((a) => !a.startsWith('--sim-version')), log);
        return;
      default:
        throw new Error(`unknown component ${name}`);
    }
  } catch (err) {
    process.stderr.write(`Error: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
