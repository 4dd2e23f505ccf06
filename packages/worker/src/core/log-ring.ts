/** The last `capacity` lines, each cut to `maxLineLength` characters: bounded whatever the core prints. */
export class LogRing {
  readonly #lines: string[];
  readonly #capacity: number;
  readonly #maxLineLength: number;
  #next = 0;
  #size = 0;
  #partial = '';

  constructor(capacity: number, maxLineLength = 4096) {
    if (!Number.isInteger(capacity) || capacity < 1)
      throw new TypeError('LogRing: "capacity" must be a positive integer');
    this.#capacity = capacity;
    this.#maxLineLength = maxLineLength;
    this.#lines = new Array<string>(capacity);
  }

  /** Appends text that may end in the middle of a line; the rest of that line comes with the next chunk. */
  write(chunk: string): void {
    const parts = (this.#partial + chunk).split('\n');
    this.#partial = (parts.pop() ?? '').slice(0, this.#maxLineLength);
    for (const line of parts) this.push(line);
  }

  /** Appends one complete line (a trailing CR is dropped). */
  push(line: string): void {
    this.#lines[this.#next] = line.replace(/\r$/, '').slice(0, this.#maxLineLength);
    this.#next = (this.#next + 1) % this.#capacity;
    this.#size = Math.min(this.#size + 1, this.#capacity);
  }

  /** Ends a pending partial line (the writer is gone). */
  flush(): void {
    if (this.#partial) this.push(this.#partial);
    this.#partial = '';
  }

  /** The last `count` complete lines, oldest first. */
  tail(count: number): string[] {
    const n = Math.max(0, Math.min(Math.floor(count), this.#size));
    const out: string[] = [];
    for (let i = n; i > 0; i--)
      out.push(this.#lines[(this.#next - i + this.#capacity) % this.#capacity] ?? '');
    return out;
  }
}
