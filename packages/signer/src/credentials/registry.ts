import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
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

  constructor(
    readonly path: string,
    private readonly fernet: Fernet,
    private readonly onReload: (result: ReloadResult | ConfigLoadFailedError) => void = () => {},
  ) {}

  get accounts(): ReadonlyMap<string, LoadedAccount> {
    return this.current;
  }

  /** Reloads the file; concurrent calls share one load. */
  reload(): Promise<ReloadResult> {
    this.pending ??= this.load().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  private async load(): Promise<ReloadResult> {
    try {
      const { accounts, warnings } = await loadCredentials(this.path, this.fernet);
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
      this.onReload(result);
      return result;
    } catch (cause) {
      const error =
        cause instanceof ConfigLoadFailedError
          ? cause
          : new ConfigLoadFailedError('credentials could not be loaded', {}, { cause });
      this.lastError = error.message;
      this.onReload(error);
      throw error;
    }
  }

  /** Watches the file's folder (editors replace files by renaming) and reloads on change. */
  watch(debounceMs = 150): void {
    if (this.watcher) return;
    const name = basename(this.path);
    this.watcher = watch(dirname(this.path), (_event, file) => {
      if (file !== null && file !== name) return;
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => void this.reload().catch(() => {}), debounceMs);
    });
    this.watcher.on('error', () => this.unwatch());
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
