import { type ReactNode, useEffect } from 'react';
import { endSession, SESSION_ENDED, useSession } from './api/session';
import { Layout } from './components/Layout';
import { match, navigate, useRoute } from './lib/router';
import { AccessKeys } from './pages/AccessKeys';
import { AuditLog } from './pages/AuditLog';
import { Dashboard } from './pages/Dashboard';
import { Login } from './pages/Login';
import { NodeDetail } from './pages/NodeDetail';
import { NotFound } from './pages/NotFound';
import { Nodes } from './pages/Nodes';
import { Signer } from './pages/Signer';
import { Users } from './pages/Users';

/** The route table: a path pattern and the page it shows. */
const ROUTES: readonly [string, (params: Record<string, string>) => ReactNode][] = [
  ['/', () => <Dashboard />],
  ['/nodes', () => <Nodes />],
  ['/nodes/:id', ({ id }) => <NodeDetail key={id} id={id ?? ''} />],
  ['/users', () => <Users />],
  ['/keys', () => <AccessKeys />],
  ['/signer', () => <Signer />],
  ['/audit', () => <AuditLog />],
];

function page(route: string): ReactNode {
  for (const [pattern, render] of ROUTES) {
    const params = match(pattern, route);
    if (params !== null) return render(params);
  }
  return <NotFound />;
}

/** Signed out: only #/login. Signed in: the pages, and #/login goes back to where one was. */
export function App() {
  const route = useRoute();
  const session = useSession();
  const atLogin = route === '/login' || route.startsWith('/login?');

  useEffect(() => {
    if (session === null && !atLogin) {
      navigate(route === '/' ? '/login' : `/login?next=${encodeURIComponent(route)}`);
    } else if (session !== null && atLogin) {
      const next = new URLSearchParams(route.split('?')[1] ?? '').get('next');
      navigate(next !== null && next.startsWith('/') && !next.startsWith('/login') ? next : '/');
    }
  }, [session, atLogin, route]);

  // A JWT past its expiry is refused anyway: end the session then rather than at the next click.
  useEffect(() => {
    if (session === null) return;
    const left = new Date(session.expiresAt).getTime() - Date.now();
    if (!(left > 0 && left < 2 ** 31)) return;
    const timer = setTimeout(() => endSession(SESSION_ENDED), left);
    return () => clearTimeout(timer);
  }, [session]);

  useEffect(() => {
    const title = atLogin ? 'Sign in' : (document.querySelector('main h1')?.textContent ?? 'Console');
    document.title = `${title} · Signet`;
  });

  if (session === null) return atLogin ? <Login /> : null;
  if (atLogin) return null;
  return (
    <Layout route={route} session={session}>
      {page(route)}
    </Layout>
  );
}
