#!/usr/bin/env node
/** The kafkalab command line: only wiring and output formatting; the work lives in src/protocol etc. */
import { Command } from 'commander';

/**
 * Every command, in help order, each loaded only when needed: a command module pulls in the client,
 * the emulator or the explainer, and loading all of them cost `kafkalab emulator` about a third of
 * its start time (issue 3: ready line within 2× of `node -e 0`).
 */
const COMMANDS: Record<string, () => Promise<Command>> = {
  decode: async () => (await import('./commands/decode.js')).decodeCommand(),
  emulator: async () => (await import('./commands/emulator.js')).emulatorCommand(),
  certs: async () => (await import('./commands/certs.js')).certsCommand(),
  topics: async () => (await import('./commands/topics.js')).topicsCommand(),
  configs: async () => (await import('./commands/configs.js')).configsCommand(),
  'delete-records': async () => (await import('./commands/delete-records.js')).deleteRecordsCommand(),
  'log-dirs': async () => (await import('./commands/log-dirs.js')).logDirsCommand(),
  acls: async () => (await import('./commands/acls.js')).aclsCommand(),
  produce: async () => (await import('./commands/produce.js')).produceCommand(),
  consume: async () => (await import('./commands/consume.js')).consumeCommand(),
  groups: async () => (await import('./commands/groups.js')).groupsCommand(),
  transactions: async () => (await import('./commands/transactions.js')).transactionsCommand(),
  proxy: async () => (await import('./commands/proxy.js')).proxyCommand(),
  inspect: async () => (await import('./commands/inspect.js')).inspectCommand(),
  versions: async () => (await import('./commands/versions.js')).versionsCommand(),
  experiment: async () => (await import('./commands/experiment.js')).experimentCommand(),
};

/**
 * The command this run needs: program options come only before it (enablePositionalOptions), so it
 * is the first argument not starting with '-'. Undefined — load them all — when there is none
 * (`kafkalab --help`), for `kafkalab help [cmd]`, and for an unknown name, so that commander's own
 * help, listing and "did you mean" answers stay exactly as they were.
 */
function requestedCommand(args: readonly string[]): string | undefined {
  const name = args.find((a) => !a.startsWith('-'));
  return name !== undefined && Object.hasOwn(COMMANDS, name) ? name : undefined;
}

const program = new Command();
program
  .name('kafkalab')
  .description(
    'See and use the Kafka wire protocol: decode frames, run a local broker emulator, produce and consume.',
  )
  .version('0.1.0')
  // Program options only before the subcommand, so that `decode --version 4` is the API version.
  .enablePositionalOptions();

const only = requestedCommand(process.argv.slice(2));
for (const name of only ? [only] : Object.keys(COMMANDS)) program.addCommand(await COMMANDS[name]());

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`kafkalab: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
