import { createWriteStream, mkdirSync, readFileSync, type WriteStream } from 'node:fs';
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
    this.nextId = lastId(path) + 1;
    this.stream = createWriteStream(path, { flags: 'a', mode: 0o600 });
  }

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
      const line = lines[i];
      if (!line) continue;
      const entry = JSON.parse(line) as AuditEntry;
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

function lastId(path: string): number {
  try {
    const lines = readFileSync(path, 'utf8').trimEnd().split('\n');
    const last = lines.at(-1);
    return last ? (JSON.parse(last) as AuditEntry).id : 0;
  } catch {
    return 0;
  }
}
