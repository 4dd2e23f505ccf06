import { createWriteStream, mkdirSync, readFileSync, truncateSync, type WriteStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** One audited action. Request data is never stored: only its SHA-256. */
export interface AuditEntry {
  readonly id: number;
  readonly time: string;
  readonly caller: string;
  readonly action: 'sign' | 'sign.batch' | 'config.reload';
  readonly platformId: string | null;
  readonly accountId: string | null;
  readonly requestId: string | null;
  readonly dataSha256: string | null;
  /** `success`, or the error code. */
  readonly result: string;
  readonly latencyMs: number;
}

export interface AuditQuery {
  readonly limit: number;
  /** Only entries with a smaller id (the cursor from the previous page). */
  readonly before?: number;
  readonly platformId?: string;
  readonly accountId?: string;
  readonly result?: string;
}

/**
 * An append-only JSON-lines audit file: one line per entry, ids increasing across restarts. Pages are
 * read newest first.
 */
export class AuditLog {
  private readonly stream: WriteStream;
  private nextId: number;
  // Entries of the current turn of the event loop, written together: one write per turn, not per sign.
  private pending: string[] = [];

  constructor(private readonly path: string) {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    this.nextId = repairAndFindLastId(path) + 1;
    this.stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
    // A failed write (a full disk) must not bring signing down; it is reported and counted.
    this.stream.on('error', (error) => {
      this.failures++;
      process.emitWarning(
        `audit log write failed: ${(error as NodeJS.ErrnoException).code ?? error.message}`,
      );
    });
  }

  /** Audit writes that failed since start (a full disk, say). */
  failures = 0;

  append(entry: Omit<AuditEntry, 'id' | 'time'>, at: Date = new Date()): void {
    const full: AuditEntry = { id: this.nextId++, time: at.toISOString(), ...entry };
    if (this.pending.length === 0) setImmediate(() => this.flush());
    this.pending.push(`${JSON.stringify(full)}\n`);
  }

  private flush(): void {
    if (this.pending.length === 0) return;
    this.stream.write(this.pending.join(''));
    this.pending = [];
  }

  async query(query: AuditQuery): Promise<{ entries: AuditEntry[]; nextBefore: number | null }> {
    this.flush();
    await new Promise<void>((resolve) => this.stream.write('', () => resolve())); // on disk first
    const lines = (await readFile(this.path, 'utf8')).split('\n');
    const entries: AuditEntry[] = [];
    for (let i = lines.length - 1; i >= 0 && entries.length < query.limit; i--) {
      const entry = parseLine(lines[i]);
      if (!entry) continue;
      if (query.before !== undefined && entry.id >= query.before) continue;
      if (query.platformId !== undefined && entry.platformId !== query.platformId) continue;
      if (query.accountId !== undefined && entry.accountId !== query.accountId) continue;
      if (query.result !== undefined && entry.result !== query.result) continue;
      entries.push(entry);
    }
    const last = entries.at(-1);
    return { entries, nextBefore: entries.length === query.limit && last ? last.id : null };
  }

  close(): Promise<void> {
    this.flush();
    return new Promise((resolve) => this.stream.end(() => resolve()));
  }
}

function parseLine(line: string | undefined): AuditEntry | undefined {
  if (!line) return undefined;
  try {
    return JSON.parse(line) as AuditEntry;
  } catch {
    return undefined; // a line torn by a crash: skipped, never fatal
  }
}

/**
 * The last id in the file. A last line torn by a crash is cut off first, so new entries start on
 * a line of their own and ids keep increasing.
 */
function repairAndFindLastId(path: string): number {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return 0;
  }
  if (text.length > 0 && !text.endsWith('\n')) {
    const keep = text.lastIndexOf('\n') + 1;
    truncateSync(path, Buffer.byteLength(text.slice(0, keep)));
    text = text.slice(0, keep);
  }
  const lines = text.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const entry = parseLine(lines[i]);
    if (entry) return entry.id;
  }
  return 0;
}
