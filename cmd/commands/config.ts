import type { CommandFactory } from '../shared/context.js';
import { configDumpCommand } from './config-dump.js';
import { configImagesCommand } from './config-images.js';
import { configMigrateCommand } from './config-migrate.js';
import { configPrintCommand } from './config-print.js';
import { configSchemaCommand } from './config-schema.js';
import { configValidateCommand } from './config-validate.js';

/** `kubeone config <validate|print|dump|schema|images|migrate>`. */
export const configCommand: CommandFactory = (ctx) => ({
  command: 'config',
  describe: 'Work with the KubeOneCluster manifest',
  builder: (y) =>
    y
      .command(configValidateCommand(ctx))
      .command(configPrintCommand(ctx))
      .command(configDumpCommand(ctx))
      .command(configSchemaCommand(ctx))
      .command(configImagesCommand(ctx))
      .command(configMigrateCommand(ctx))
      .demandCommand(1, 'a config subcommand is required'),
  handler: () => undefined,
});
