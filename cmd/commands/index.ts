// The command registry. To add a command: write cmd/commands/<name>.ts exporting a
// CommandFactory (see cmd/shared/context.ts) and add it to this list.
import type { CommandFactory } from '../shared/context.js';
import { completionCommand } from './completion.js';
import { configCommand } from './config.js';
import { versionCommand } from './version.js';

export const commands: CommandFactory[] = [configCommand, versionCommand, completionCommand];
