import type { CommandFactory } from '../shared/context.js';
import { lazyCommand } from '../shared/lazy-command.js';
import { configValidateCommand } from './config-validate.js';

// validate is light and the one run most (CI, pre-commit); the others load on use.
const configPrintCommand = lazyCommand({ command: 'print', describe: 'Print an example manifest' }, async () => (await import('./config-print.js')).configPrintCommand);
const configDumpCommand = lazyCommand(
  { command: 'dump', describe: 'Print the defaulted manifest as YAML (credentials redacted)' },
  async () => (await import('./config-dump.js')).configDumpCommand,
);
const configSchemaCommand = lazyCommand(
  { command: 'schema', describe: 'Print the KubeOneCluster v1beta2 JSON Schema' },
  async () => (await import('./config-schema.js')).configSchemaCommand,
);

const configImagesCommand = lazyCommand({ command: 'images', describe: 'The container images of a cluster' }, async () => (await import('./config-images.js')).configImagesCommand);
const configMachineDeploymentsCommand = lazyCommand(
  { command: 'machinedeployments', describe: 'Print the MachineDeployments of dynamicWorkers (the objects apply creates on first install)' },
  async () => (await import('./config-machinedeployments.js')).configMachineDeploymentsCommand,
);
const configMigrateCommand = lazyCommand(
  { command: 'migrate', describe: 'Migrate the manifest to the v1beta3 API: not possible in this version (always exit 1, as KubeOne 1.14)' },
  async () => (await import('./config-migrate.js')).configMigrateCommand,
);

export const configSubcommands: CommandFactory[] = [configValidateCommand, configPrintCommand, configDumpCommand, configSchemaCommand, configImagesCommand, configMachineDeploymentsCommand, configMigrateCommand];

/** `kubeone config <validate|print|dump|schema|images|machinedeployments|migrate>`. */
export const configCommand: CommandFactory = (ctx) => ({
  command: 'config',
  describe: 'Work with the KubeOneCluster manifest',
  builder: (y) => configSubcommands.reduce((parser, sub) => parser.command(sub(ctx)), y).demandCommand(1, 'a config subcommand is required'),
  handler: () => undefined,
});
