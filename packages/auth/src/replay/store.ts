/**
 * Where verifiers remember what they accepted, so the same nonce or request is not accepted twice
 * within its window.
 */
export interface ReplayStore {
  /**
   * Claims `key` for `ttlMs` milliseconds. Resolves true if it was not claimed before (or its claim
   * has expired), false if it is a replay. Rejects with ReplayStoreUnavailableError when the store
   * cannot answer, and the verifier then refuses the request (fail closed).
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
}
