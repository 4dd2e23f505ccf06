import { useCallback, useRef, useState } from 'react';
import { describeError } from '../api/client';

export interface Action {
  /** True while the action runs: its button is disabled. */
  readonly busy: boolean;
  /** What is happening ("Creating…") or what happened; shown in role="status". */
  readonly status: string | null;
  /** What went wrong and what to do; shown in role="alert". */
  readonly error: string | null;
  /**
   * Runs `work`, saying `progress` meanwhile and `done(result)` afterwards (nothing when it gives
   * null). Resolves to the result, or undefined when the work failed.
   */
  readonly run: <T>(
    progress: string,
    work: () => Promise<T>,
    done?: (result: T) => string | null,
  ) => Promise<T | undefined>;
  /** Says that something finished elsewhere (a dialog), in the same role="status". */
  readonly say: (status: string) => void;
  readonly reset: () => void;
}

/** A long action with its progress, result and error, one at a time. */
export function useAction(): Action {
  const [state, setState] = useState<{ busy: boolean; status: string | null; error: string | null }>({
    busy: false,
    status: null,
    error: null,
  });
  const running = useRef(false);
  const reset = useCallback(() => setState({ busy: false, status: null, error: null }), []);
  const run = useCallback(
    async <T>(progress: string, work: () => Promise<T>, done?: (result: T) => string | null) => {
      if (running.current) return undefined;
      running.current = true;
      setState({ busy: true, status: progress, error: null });
      try {
        const result = await work();
        setState({ busy: false, status: done === undefined ? null : done(result), error: null });
        return result;
      } catch (error) {
        setState({ busy: false, status: null, error: describeError(error) });
        return undefined;
      } finally {
        running.current = false;
      }
    },
    [],
  );
  const say = useCallback((status: string) => setState({ busy: false, status, error: null }), []);
  return { ...state, run, say, reset };
}
