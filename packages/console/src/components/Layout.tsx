import type { MouseEvent, ReactNode } from 'react';
import { api } from '../api/client';
import { endSession, type Session } from '../api/session';
import { toggleTheme, useTheme } from '../lib/theme';

export const PAGES = [
  { path: '/', label: 'Dashboard' },
  { path: '/nodes', label: 'Nodes' },
  { path: '/users', label: 'Users' },
  { path: '/keys', label: 'Access keys' },
  { path: '/signer', label: 'Signer' },
  { path: '/audit', label: 'Audit log' },
] as const;

const isCurrent = (page: string, route: string) =>
  page === '/' ? route === '/' : route === page || route.startsWith(`${page}/`);

async function signOut(): Promise<void> {
  // Ends every session of this account on the master; signed out here whatever it answers.
  await api.post('/auth/logout').catch(() => undefined);
  endSession();
}

/** The skip link moves focus without touching the hash, which holds the route. */
function skipToMain(event: MouseEvent): void {
  event.preventDefault();
  document.getElementById('main')?.focus();
}

export function ThemeButton() {
  const dark = useTheme() === 'dark';
  return (
    <button
      type="button"
      className="button icon"
      aria-label="Toggle dark theme"
      aria-pressed={dark}
      title={dark ? 'Use the light theme' : 'Use the dark theme'}
      onClick={toggleTheme}
    >
      <span aria-hidden="true">{dark ? '☀' : '☾'}</span>
    </button>
  );
}

/** The frame of every signed-in page: brand, main navigation, account, and the page. */
export function Layout({
  route,
  session,
  children,
}: {
  route: string;
  session: Session;
  children: ReactNode;
}) {
  return (
    <div className="shell">
      <a className="skip" href="#main" onClick={skipToMain}>
        Skip to content
      </a>
      <header className="bar">
        <a className="brand" href="#/">
          <span className="logo" aria-hidden="true" />
          Signet
        </a>
        <nav aria-label="Main">
          <ul>
            {PAGES.map((page) => (
              <li key={page.path}>
                <a href={`#${page.path}`} aria-current={isCurrent(page.path, route) ? 'page' : undefined}>
                  {page.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <div className="account">
          <span className="who" title="Signed in as">
            {session.name}
          </span>
          <ThemeButton />
          <button type="button" className="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </div>
  );
}
