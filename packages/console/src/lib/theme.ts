import { useSyncExternalStore } from 'react';

// Light or dark: the system's choice until the reader picks one, which is kept in localStorage.

export type Theme = 'light' | 'dark';
const KEY = 'signet.theme';
const system = window.matchMedia('(prefers-color-scheme: dark)');
const listeners = new Set<() => void>();

function stored(): Theme | null {
  const value = localStorage.getItem(KEY);
  return value === 'light' || value === 'dark' ? value : null;
}

export const currentTheme = (): Theme => stored() ?? (system.matches ? 'dark' : 'light');

function apply(): void {
  document.documentElement.dataset['theme'] = currentTheme();
  for (const listener of listeners) listener();
}

export function toggleTheme(): void {
  localStorage.setItem(KEY, currentTheme() === 'dark' ? 'light' : 'dark');
  apply();
}

export function initTheme(): void {
  system.addEventListener('change', apply);
  apply();
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => listeners.delete(listener);
};

export const useTheme = (): Theme => useSyncExternalStore(subscribe, currentTheme);
