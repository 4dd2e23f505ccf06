/**
 * One small interface per exchange. A platform turns an account's decrypted key material into a
 * prepared signing key once (at load), and signs request data with it. Each platform is one file.
 */

/** What every signature result carries (seed 004, plus the exact payload and exchange headers). */
export interface SignResult {
  readonly signature: string;
  /** ed25519, eip191, hmac-sha256, rsa-sha256, … */
  readonly algorithm: string;
  readonly encoding: 'base58' | 'hex' | 'base64';
  /** The account's public key or address; null where there is none. Never an API key or secret. */
  readonly publicKey: string | null;
  /** The exact text that was signed: any re-serialization by the client breaks the signature. */
  readonly payload: string;
  /** Headers the client sends to the exchange with the payload. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The exact request body to send, where the payload only contains it (okx: the JSON text inside
   * `timestamp + METHOD + path + body`). Absent where the payload is what is sent, or where the
   * exchange rebuilds the message from its own fields (pacifica).
   */
  readonly body?: string;
}

/** An account's credential fields after Fernet decryption, as credentials.json describes them. */
export interface AccountCredential {
  readonly platformId: string;
  readonly accountId: string;
  /** Platform-specific key type (binance: hmac | ed25519 | rsa; aster: eip191; …); undefined = the platform's default. */
  readonly keyType: string | undefined;
  /** Decrypted secret fields by name (privateKey, apiKey, apiSecret, passphrase, …). */
  readonly secrets: Readonly<Record<string, string>>;
}

/** A signing key prepared at load time; opaque outside its platform. */
export interface PreparedKey {
  readonly algorithm: string;
  readonly publicKey: string | null;
  sign(data: unknown, now: Date): SignResult;
}

export interface Platform {
  readonly id: string;
  /** Key types this platform accepts; the first is the default. */
  readonly keyTypes: readonly string[];
  /** Validates the credential and prepares its key; throws ConfigLoadFailedError naming the field (never its value). */
  prepare(credential: AccountCredential): PreparedKey;
}
