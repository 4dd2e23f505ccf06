import { type FSWatcher, watch } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Fernet } from '@signet/auth';
import { ConfigLoadFailedError } from '../errors.js';
import { type LoadedAccount, loadCredentials } from './load.js';

export interface ReloadResult {
  readonly reloadedAt: string;
  readonly changes: { readonly added: number; readonly updated: number; readonly removed: number };
  readonly accountCount: number;
  readonly platformCount: number;
  readonly warnings: readonly string[];
}

export interface RegistryStatus {
  readonly path: string;
  readonly lastLoaded: string | null;
  readonly isWatching: boolean;
  /** Why the last reload failed, while the previous accounts keep serving; null after a success. */
  readonly lastError: string | null;
}

/**
 * The accounts in service. A reload builds a complete new map and swaps it in one assignment, so a
 * signature in progress keeps the map it started with and signing never pauses; a file that fails
 * to load leaves the previous accounts serving.
 */
export class AccountRegistry {
  private current: ReadonlyMap<string, LoadedAccount> = new Map();
  private lastLoaded: string | null = null;
  private lastError: string | null = null;
  private watcher: FSWatcher | null = null;
  private debounce: NodeJS.Timeout | undefined;
  private pending: Promise<ReloadResult> | null = null;
  private fileHash: string | null = null;
  private firstEventAt = 0;

  constructor(
    readonly path: string,
    private readonly fernet: Fernet,
    private readonly onReload: (
      result: ReloadResult | ConfigLoadFailedError,
      caller: string,
    ) => void = () => {},
  ) {}

  get accounts(): ReadonlyMap<string, LoadedAccount> {
    return this.current;
  }

  /** Reloads the file; concurrent calls share one load. `caller` is recorded in the audit log. */
  reload(caller = 'file watcher'): Promise<ReloadResult> {
    this.pending ??= this.load(caller).finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async load(caller: string): Promise<ReloadResult> {
    try {
      const { accounts, warnings, fileHash } = await loadCredentials(this.path, this.fernet, this.current);
      this.fileHash = fileHash;
      const changes = { added: 0, updated: 0, removed: 0 };
      for (const [key, account] of accounts) {
        const before = this.current.get(key);
        if (!before) changes.added++;
        else if (before.fingerprint !== account.fingerprint) changes.updated++;
      }
      for (const key of this.current.keys()) if (!accounts.has(key)) changes.removed++;
      this.current = accounts;
      this.lastLoaded = new Date().toISOString();
      this.lastError = null;
      const result: ReloadResult = {
        reloadedAt: this.lastLoaded,
        changes,
        accountCount: accounts.size,
        platformCount: new Set([...accounts.values()].map((a) => a.platformId)).size,
        warnings,
      };
      this.onReload(result, caller);
      return result;
    } catch (cause) {
      const error =
        cause instanceof ConfigLoadFailedError
          ? cause
          : new ConfigLoadFailedError('credentials could not be loaded', {}, { cause });
      this.lastError = error.message;
      this.onReload(error, caller);
      throw error;
    }
  }

  /**
   * Watches the file's folder, since editors and Kubernetes replace files by renaming or by
   * swapping a symlink: after any event there (debounced, but never delayed more than a second),
   * the file is reloaded if its content changed.
   */
  watch(debounceMs = 150, maxDelayMs = 1000): void {
    if (this.watcher) return;
    this.watcher = watch(dirname(this.path), () => {
      const now = Date.now();
      if (this.debounce === undefined) this.firstEventAt = now;
      clearTimeout(this.debounce);
      const wait = Math.max(0, Math.min(debounceMs, this.firstEventAt + maxDelayMs - now));
      this.debounce = setTimeout(() => {
        this.debounce = undefined;
        void this.reloadIfChanged();
      }, wait);
    });
    this.watcher.on('error', (error) => {
      this.lastError = `watching stopped: ${(error as NodeJS.ErrnoException).code ?? error.message}`;
      this.unwatch();
    });
  }

  private async reloadIfChanged(): Promise<void> {
    try {
      const hash = createHash('sha256')
        .update(await readFile(this.path))
        .digest('hex');
      if (hash === this.fileHash) return;
    } catch {
      // unreadable now: reload reports it
    }
    await this.reload().catch(() => {});
  }

  unwatch(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = null;
  }

  status(): RegistryStatus {
    return {
      path: this.path,
      lastLoaded: this.lastLoaded,
      isWatching: this.watcher !== null,
      lastError: this.lastError,
    };
  }
}
