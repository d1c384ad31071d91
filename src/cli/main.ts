#!/usr/bin/env node
/** The kafkalab command line: only wiring and output formatting; the work lives in src/protocol etc. */
import { Command } from 'commander';
import { decodeCommand } from './commands/decode.js';

const program = new Command();
program
  .name('kafkalab')
  .description(
    'See and use the Kafka wire protocol: decode frames, run a local broker emulator, produce and consume.',
  )
  .version('0.1.0')
  // Program options only before the subcommand, so that `decode --version 4` is the API version.
  .enablePositionalOptions()
  .addCommand(decodeCommand());

program.addCommand((await import('./commands/emulator.js')).emulatorCommand());
program.addCommand((await import('./commands/topics.js')).topicsCommand());
program.addCommand((await import('./commands/produce.js')).produceCommand());
program.addCommand((await import('./commands/consume.js')).consumeCommand());
program.addCommand((await import('./commands/groups.js')).groupsCommand());
program.addCommand((await import('./commands/proxy.js')).proxyCommand());
program.addCommand((await import('./commands/versions.js')).versionsCommand());
program.addCommand((await import('./commands/experiment.js')).experimentCommand());

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`kafkalab: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
