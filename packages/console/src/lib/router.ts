import { useSyncExternalStore } from 'react';

// Hash routes (`#/nodes/3`): the master serves one index.html at `/`, and a hash never reaches it.

// A malformed escape (`#/%`) stays undecoded: it matches no route, so the page is NotFound.
const current = () => {
  const hash = window.location.hash.replace(/^#/, '');
  try {
    return decodeURI(hash) || '/';
  } catch {
    return hash;
  }
};
const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/** The current route, e.g. `/nodes/3`; re-renders on every change. */
export const useRoute = (): string => useSyncExternalStore(subscribe, current);

export function navigate(path: string): void {
  window.location.hash = `#${path}`;
}

/** `match('/nodes/:id', '/nodes/3')` → `{ id: '3' }`, or null (also for a malformed escape). */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = have[i] ?? '';
    if (part.startsWith(':')) {
      if (value === '') return null;
      try {
        params[part.slice(1)] = decodeURIComponent(value);
      } catch {
        return null;
      }
    } else if (part !== value) return null;
  }
  return params;
}
