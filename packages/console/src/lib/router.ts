import { useSyncExternalStore } from 'react';

// Hash routes (`#/nodes/3`): the master serves one index.html at `/`, and a hash never reaches it.

const current = () => decodeURI(window.location.hash.replace(/^#/, '')) || '/';
const subscribe = (onChange: () => void) => {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
};

/** The current route, e.g. `/nodes/3`; re-renders on every change. */
export const useRoute = (): string => useSyncExternalStore(subscribe, current);

export function navigate(path: string): void {
  window.location.hash = `#${path}`;
}

/** `match('/nodes/:id', '/nodes/3')` → `{ id: '3' }`, or null. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return null;
  const params: Record<string, string> = {};
  for (const [i, part] of want.entries()) {
    const value = have[i] ?? '';
    if (part.startsWith(':')) {
      if (value === '') return null;
      params[part.slice(1)] = decodeURIComponent(value);
    } else if (part !== value) return null;
  }
  return params;
}
