import type { Fernet } from '@signet/auth';
import { decodeProtectedHeader } from 'jose';
import type { Kysely } from 'kysely';
import { type Database, loadJwtKeys } from '../store/index.js';
import type { TokenKeys } from './tokens.js';

/** How often the keys are read again: a key rotated by another process signs here within this time. */
const REFRESH_MS = 60_000;
/** A token naming a kid this master does not know makes it read the store at most this often. */
const UNKNOWN_KID_REFRESH_MS = 5_000;

/**
 * The JWT signing keys as the store has them, for a master that keeps running while `signet jwt
 * rotate` adds a key: read again every minute (the newest key signs from then on, a retired one
 * stops verifying), and at once when a token names a key this master has not seen (one another
 * process signed with), so no valid token is refused.
 */
export class TokenKeyring {
  #keys: TokenKeys;
  #loaded = Date.now();
  #lastUnknownRefresh = 0;
  #refreshing: Promise<void> | null = null;

  private constructor(
    private readonly db: Kysely<Database>,
    private readonly fernet: Fernet,
    keys: TokenKeys,
  ) {
    this.#keys = keys;
  }

  static async load(db: Kysely<Database>, fernet: Fernet): Promise<TokenKeyring> {
    return new TokenKeyring(db, fernet, await loadJwtKeys(db, fernet));
  }

  /** The keys to sign with and to publish; older than a minute, they are read again meanwhile. */
  current(): TokenKeys {
    if (Date.now() - this.#loaded >= REFRESH_MS) void this.refresh().catch(() => undefined);
    return this.#keys;
  }

  /** The keys to verify `token` with: read again first if it names a kid not among them. */
  async forToken(token: string): Promise<TokenKeys> {
    const keys = this.current();
    const kid = kidOf(token);
    if (kid === undefined || keys.jwks.keys.some((key) => (key as { kid?: string }).kid === kid)) return keys;
    if (Date.now() - this.#lastUnknownRefresh < UNKNOWN_KID_REFRESH_MS) return keys;
    this.#lastUnknownRefresh = Date.now();
    await this.refresh().catch(() => undefined); // the store unreachable: verify with what is here
    return this.#keys;
  }

  /** Reads the keys from the store (one read at a time; a failure keeps the keys in service). */
  refresh(): Promise<void> {
    this.#refreshing ??= loadJwtKeys(this.db, this.fernet)
      .then((keys) => {
        this.#keys = keys;
        this.#loaded = Date.now();
      })
      .finally(() => {
        this.#refreshing = null;
      });
    return this.#refreshing;
  }
}

function kidOf(token: string): string | undefined {
  try {
    const { kid } = decodeProtectedHeader(token);
    return typeof kid === 'string' ? kid : undefined;
  } catch {
    return undefined; // not a JWT: the verifier says so
  }
}
