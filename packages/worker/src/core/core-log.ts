import { closeSync, fstatSync, openSync, readSync, truncateSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import type { LogRing } from './log-ring.js';

/**
 * The core's stdout and stderr go to a file opened in append mode, not to a pipe: a Go program
 * whose stdout pipe has lost its reader dies of SIGPIPE at its next log line, so a core left behind
 * by a killed worker would die before the next worker could drain its counters. The worker tails
 * the file into the ring and truncates it past `maxBytes` (the core's appends then restart at 0).
 */
export class CoreLogFile {
  readonly path: string;
  readonly #ring: LogRing;
  readonly #maxBytes: number;
  readonly #pollMs: number;
  readonly #buffer = Buffer.alloc(64 * 1024);
  #decoder = new StringDecoder('utf8');
  #offset = 0;
  #timer: NodeJS.Timeout | null = null;

  constructor(path: string, ring: LogRing, options: { maxBytes?: number; pollMs?: number } = {}) {
    this.path = path;
    this.#ring = ring;
    this.#maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
    this.#pollMs = options.pollMs ?? 200;
  }

  /** Loads up to `bytes` of what an earlier core wrote, then follows the file from its end. */
  loadExisting(bytes = 256 * 1024): void {
    const fd = this.#open();
    if (fd === null) return;
    try {
      const size = fstatSync(fd).size;
      this.#offset = Math.max(0, size - bytes);
      this.#readFrom(fd, this.#offset > 0);
    } finally {
      closeSync(fd);
    }
  }

  /** A descriptor for the child's stdout and stderr; the caller closes it once the child is spawned. */
  openForChild(): number {
    return openSync(this.path, 'a', 0o600);
  }

  /** Starts following the file (idempotent). */
  follow(): void {
    if (this.#timer) return;
    this.#timer = setInterval(() => this.poll(), this.#pollMs);
    this.#timer.unref();
  }

  /** Stops following, after a last read. */
  unfollow(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    this.poll();
    this.#ring.flush();
  }

  /** Reads what was appended since the last poll, now. */
  poll(): void {
    const fd = this.#open();
    if (fd === null) return;
    try {
      this.#readFrom(fd);
      if (this.#offset > this.#maxBytes) {
        truncateSync(this.path, 0);
        this.#offset = 0;
      }
    } finally {
      closeSync(fd);
    }
  }

  #open(): number | null {
    try {
      return openSync(this.path, 'r');
    } catch {
      return null;
    }
  }

  /** Reads to the end; with `skipFirstLine`, drops the partial line at a mid-file start. */
  #readFrom(fd: number, skipFirstLine = false): void {
    const size = fstatSync(fd).size;
    if (size < this.#offset) {
      this.#offset = 0; // truncated by someone else
      this.#decoder = new StringDecoder('utf8');
    }
    let skipping = skipFirstLine;
    while (this.#offset < size) {
      const n = readSync(fd, this.#buffer, 0, this.#buffer.length, this.#offset);
      if (n <= 0) break;
      this.#offset += n;
      let text = this.#decoder.write(this.#buffer.subarray(0, n));
      if (skipping) {
        const newline = text.indexOf('\n');
        if (newline === -1) continue;
        text = text.slice(newline + 1);
        skipping = false;
      }
      this.#ring.write(text);
    }
  }
}
