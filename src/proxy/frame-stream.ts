/**
 * One direction of a proxied connection cut into frames, without ever losing a byte: when the stream
 * stops making sense (a negative or oversized frame size), everything not yet handed out as a frame
 * is returned raw and the stream switches to pass-through, so the proxy forwards it untouched and the
 * far side decides what to do with it, exactly as without the proxy.
 */
import { FrameSplitter } from '../protocol/frame.js';

export type FrameStreamOutput =
  | { kind: 'frames'; frames: Buffer[] }
  | { kind: 'raw'; bytes: Buffer[]; reason?: string };

export class FrameStream {
  private readonly splitter: FrameSplitter;
  /** Bytes pushed but not yet returned in a frame, oldest first. */
  private held: Buffer[] = [];
  private heldBytes = 0;
  private passThrough = false;

  constructor(maxFrameBytes: number) {
    this.splitter = new FrameSplitter({ maxFrameBytes });
  }

  get passingThrough(): boolean {
    return this.passThrough;
  }

  push(chunk: Buffer): FrameStreamOutput {
    if (this.passThrough) return { kind: 'raw', bytes: [chunk] };
    let frames: Buffer[];
    try {
      frames = this.splitter.push(chunk);
    } catch (err) {
      // The splitter drops frames it cut earlier in this push when it throws; none of the held bytes
      // has been forwarded yet, so forwarding all of them keeps the stream whole.
      this.passThrough = true;
      const bytes = [...this.held, chunk];
      this.held = [];
      this.heldBytes = 0;
      return { kind: 'raw', bytes, reason: err instanceof Error ? err.message : String(err) };
    }
    this.held.push(chunk);
    this.heldBytes += chunk.length;
    let emitted = this.heldBytes - this.splitter.buffered;
    this.heldBytes -= emitted;
    // Bounded by the number of held chunks.
    while (emitted > 0 && this.held.length > 0) {
      const first = this.held[0];
      if (first.length <= emitted) {
        this.held.shift();
        emitted -= first.length;
      } else {
        this.held[0] = first.subarray(emitted);
        emitted = 0;
      }
    }
    return { kind: 'frames', frames };
  }
}
