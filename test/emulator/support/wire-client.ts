/**
 * A bare test client: one socket, our own request frames (src/protocol), responses matched in order.
 * Lets emulator tests speak exact versions and send exact bytes, bad ones included.
 */
import net from 'node:net';
import { decodeResponseFrame, encodeRequestFrame, FrameSplitter } from '../../../src/protocol/frame.js';
import type { ApiSpec, MessageInput, MessageValue } from '../../../src/protocol/schema/declare.js';

export class WireClient {
  private readonly splitter = new FrameSplitter({ maxFrameBytes: 1 << 30 });
  private readonly waiting: ((frame: Buffer) => void)[] = [];
  private readonly frames: Buffer[] = [];
  private correlationId = 0;
  /** Resolves when the server closes the connection (or it errors). */
  readonly closed: Promise<void>;
  isClosed = false;

  private constructor(readonly socket: net.Socket) {
    socket.on('data', (chunk) => {
      for (const f of this.splitter.push(chunk)) {
        const w = this.waiting.shift();
        if (w) w(f);
        else this.frames.push(f);
      }
    });
    this.closed = new Promise((resolve) => {
      const done = () => {
        this.isClosed = true;
        resolve();
      };
      socket.on('close', done);
      socket.on('error', done);
    });
  }

  static connect(port: number, host = '127.0.0.1'): Promise<WireClient> {
    return new Promise((resolve, reject) => {
      const s = net.connect({ port, host }, () => resolve(new WireClient(s)));
      s.once('error', reject);
    });
  }

  /** The next response frame, or rejection if the connection closes first. */
  nextFrame(): Promise<Buffer> {
    const ready = this.frames.shift();
    if (ready) return Promise.resolve(ready);
    return new Promise((resolve, reject) => {
      this.waiting.push(resolve);
      void this.closed.then(() => reject(new Error('connection closed before a response')));
    });
  }

  writeRaw(bytes: Uint8Array): void {
    this.socket.write(bytes);
  }

  send<A extends ApiSpec>(
    api: A,
    version: number,
    body: MessageInput<A['request']>,
    clientId = 'wire-test',
  ): number {
    const correlationId = ++this.correlationId;
    this.socket.write(encodeRequestFrame({ api, version, correlationId, clientId, body }));
    return correlationId;
  }

  async request<A extends ApiSpec>(
    api: A,
    version: number,
    body: MessageInput<A['request']>,
  ): Promise<MessageValue<A['response']>> {
    const correlationId = this.send(api, version, body);
    const frame = await this.nextFrame();
    const decoded = decodeResponseFrame(frame, api, version);
    if (decoded.header.correlationId !== correlationId) {
      throw new Error(`correlation id ${decoded.header.correlationId}, expected ${correlationId}`);
    }
    return decoded.body;
  }

  close(): void {
    this.socket.destroy();
  }
}
