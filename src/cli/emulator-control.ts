/**
 * `kafkalab emulator` reads commands on its standard input, one a line, to act on its brokers as a
 * learner would on Kafka nodes (issue 16): `stop N` (controlled shutdown), `kill N` (kill -9),
 * `pause N` / `resume N` (kill -STOP / -CONT), `start N`, `brokers`, `help`. Each prints one line
 * saying what happened; a bad command prints one line on stderr and the emulator carries on. The end
 * of the input (a closed pipe, </dev/null) ends nothing: the emulator runs until SIGINT / SIGTERM.
 */
import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import type { Emulator } from '../emulator/start-emulator.js';

const HELP =
  'commands: stop N (controlled shutdown), kill N (no shutdown, connections reset), pause N, resume N, start N, brokers, help';

type Action = 'stop' | 'kill' | 'pause' | 'resume' | 'start';

const ACTIONS: Record<Action, (e: Emulator, id: number) => Promise<string>> = {
  stop: (e, id) => e.stopBroker(id),
  kill: (e, id) => e.killBroker(id),
  pause: (e, id) => e.pauseBroker(id),
  resume: (e, id) => e.resumeBroker(id),
  start: (e, id) => e.startBroker(id),
};

/** Runs one command line; resolves with the lines to print and whether they are errors. */
export async function controlCommand(
  emulator: Emulator,
  line: string,
): Promise<{ out: string[]; err: string[] }> {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, arg, ...rest] = words;
  if (verb === undefined) return { out: [], err: [] };
  if (verb === 'help') return { out: [HELP], err: [] };
  if (verb === 'brokers' && arg === undefined) return { out: emulator.describeBrokers(), err: [] };
  if (!(verb in ACTIONS)) return { out: [], err: [`unknown command "${line.trim()}"; ${HELP}`] };
  if (arg === undefined || rest.length > 0 || !/^\d+$/.test(arg))
    return {
      out: [],
      err: [`${verb} takes one broker id (a node id, e.g. "${verb} 1"), got "${line.trim()}"`],
    };
  try {
    return { out: [await ACTIONS[verb as Action](emulator, Number(arg))], err: [] };
  } catch (e) {
    return { out: [], err: [e instanceof Error ? e.message : String(e)] };
  }
}

/**
 * Reads commands from `input` until `close()`; commands run one at a time, in order. Lines the
 * emulator reports by itself (a broker fenced after its session timeout) go to `write` too.
 */
export function readControlCommands(
  emulator: Emulator,
  input: Readable,
  write: { out: (line: string) => void; err: (line: string) => void },
): { close(): void } {
  const rl = createInterface({ input, terminal: false });
  let chain = Promise.resolve();
  rl.on('line', (line) => {
    chain = chain.then(async () => {
      const r = await controlCommand(emulator, line);
      for (const l of r.out) write.out(l);
      for (const l of r.err) write.err(`kafkalab emulator: ${l}`);
    });
  });
  const unsubscribe = emulator.onBrokerEvent((line) => write.out(line));
  return {
    close() {
      unsubscribe();
      rl.close();
    },
  };
}
