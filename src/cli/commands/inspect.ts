/**
 * `kafkalab inspect --file REC.jsonl`: open a recording (`kafkalab emulator --record` or
 * `kafkalab proxy --record`) in the browser inspector, served on 127.0.0.1 and a free port until
 * SIGINT or SIGTERM. Option parsing and output only; the inspector lives in src/inspector.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { Command, InvalidArgumentError } from 'commander';

interface InspectCliOptions {
  file: string;
  port: number;
  open?: boolean;
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('--port must be an integer in 0..65535');
  return n;
}

export function inspectCommand(): Command {
  return new Command('inspect')
    .description(
      'Open a recorded session (--record JSONL of the emulator or the proxy) in a local browser page: exchanges, decode tree and hex dump linked byte by byte.',
    )
    .requiredOption('--file <file>', 'the recording to open')
    .option('--port <port>', 'port for the page on 127.0.0.1 (0 picks a free one)', port, 0)
    .option('--open', 'open the page in the default browser')
    .action(async (o: InspectCliOptions) => {
      const [{ inspectRecording }, { TraceFileError }] = await Promise.all([
        import('../../inspector/index.js'),
        import('../../proxy/replay.js'),
      ]);
      let text: string;
      try {
        text = await readFile(o.file, 'utf8');
      } catch (err) {
        throw new Error(`cannot read ${o.file}: ${(err as Error).message}`);
      }
      let inspector: Awaited<ReturnType<typeof inspectRecording>>;
      try {
        inspector = await inspectRecording(text, o.file, { port: o.port });
      } catch (err) {
        if (err instanceof TraceFileError) throw new Error(`${o.file}: ${err.message}`);
        throw err;
      }
      process.stdout.write(
        `kafkalab inspector on ${inspector.url} (${inspector.count} exchange${inspector.count === 1 ? '' : 's'} from ${o.file})\n`,
      );
      if (o.open) openBrowser(inspector.url);
      await untilSignal();
      await inspector.close();
    });
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** The desktop's opener; a machine without one just keeps the printed address. */
export function openBrowser(url: string): void {
  const opener =
    process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  const child = spawn(opener, [url], { stdio: 'ignore', detached: true });
  child.on('error', () => process.stderr.write(`kafkalab inspect: could not run ${opener}; open ${url}\n`));
  child.unref();
}
