import { useCallback, useEffect, useState } from 'react';
import { api, describeError, type Query } from '../api/client';

export interface Resource<T> {
  /** The last answer; kept while a refresh runs or fails. */
  readonly data: T | undefined;
  /** What went wrong with the last load, and what to do, or null. */
  readonly error: string | null;
  /** The last thrown value, to tell a missing route (an older master) from other failures. */
  readonly failure: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
}

interface Options {
  readonly query?: Query;
  /** Load again every so many milliseconds while the page is visible. */
  readonly every?: number;
}

/** GET `path` from the admin API (null: nothing to load yet). */
export function useResource<T>(path: string | null, options: Options = {}): Resource<T> {
  const [state, setState] = useState<{ key?: string; data?: T; failure: unknown; loading: boolean }>({
    failure: null,
    loading: path !== null,
  });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  const query = JSON.stringify(options.query ?? {});
  const every = options.every;
  const key = `${path ?? ''}?${query}`;

  // One load at a time: the next poll is set after the answer (a slow node would otherwise pile up
  // requests), and an answer that arrives after a newer load started or after unmount is dropped.
  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const later = () => {
      if (every !== undefined && !controller.signal.aborted) timer = setTimeout(poll, every);
    };
    const poll = () => (document.visibilityState === 'visible' ? void load() : later());
    const load = async () => {
      setState((s) => ({ ...s, loading: true, ...(s.key === key ? {} : { failure: null }) }));
      try {
        const data = await api.get<T>(path, {
          query: JSON.parse(query) as Query,
          signal: controller.signal,
        });
        if (!controller.signal.aborted) setState({ key, data, failure: null, loading: false });
      } catch (failure) {
        if (!controller.signal.aborted) setState((s) => ({ ...s, failure, loading: false }));
      }
      later();
    };
    void load();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [path, query, key, every, tick]);

  return {
    data: state.key === key ? state.data : undefined,
    error: state.failure === null ? null : describeError(state.failure),
    failure: state.failure,
    loading: state.loading,
    reload,
  };
}
