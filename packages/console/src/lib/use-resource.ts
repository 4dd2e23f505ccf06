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

  useEffect(() => {
    if (path === null) return;
    const controller = new AbortController();
    const load = async () => {
      setState((s) => ({ ...s, loading: true, ...(s.key === key ? {} : { failure: null }) }));
      try {
        const data = await api.get<T>(path, {
          query: JSON.parse(query) as Query,
          signal: controller.signal,
        });
        setState({ key, data, failure: null, loading: false });
      } catch (failure) {
        if (!controller.signal.aborted) setState((s) => ({ ...s, failure, loading: false }));
      }
    };
    void load();
    const timer =
      every === undefined
        ? undefined
        : setInterval(() => {
            if (document.visibilityState === 'visible') void load();
          }, every);
    return () => {
      controller.abort();
      clearInterval(timer);
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
