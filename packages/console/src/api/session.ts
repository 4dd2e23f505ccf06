import { useSyncExternalStore } from 'react';

// The admin's web session: the JWT lives in sessionStorage (gone with the tab), never localStorage.

export interface Session {
  readonly token: string;
  readonly name: string;
  readonly expiresAt: string;
}

/** What the sign-in page says after a refused or expired session. */
export const SESSION_ENDED = 'Your session ended: sign in again';

const KEY = 'signet.session';
const NOTICE = 'signet.notice';
const listeners = new Set<() => void>();
let cached: { raw: string | null; session: Session | null } = { raw: null, session: null };

export function getSession(): Session | null {
  const raw = sessionStorage.getItem(KEY);
  if (raw !== cached.raw) {
    let session: Session | null = null;
    try {
      session = raw === null ? null : (JSON.parse(raw) as Session);
    } catch {
      session = null;
    }
    cached = { raw, session };
  }
  return cached.session;
}

const changed = () => {
  for (const listener of listeners) listener();
};

export function startSession(session: Session): void {
  sessionStorage.setItem(KEY, JSON.stringify(session));
  sessionStorage.removeItem(NOTICE);
  changed();
}

/** Ends the session; `notice` is shown on the sign-in page. */
export function endSession(notice?: string): void {
  if (getSession() === null) return;
  sessionStorage.removeItem(KEY);
  if (notice !== undefined) sessionStorage.setItem(NOTICE, notice);
  changed();
}

/** The message left by the last session's end; cleared when the next session starts. */
export const readNotice = (): string | null => sessionStorage.getItem(NOTICE);

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const useSession = (): Session | null => useSyncExternalStore(subscribe, getSession);
