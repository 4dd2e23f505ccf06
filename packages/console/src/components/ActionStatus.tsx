import type { Action } from '../lib/use-action';

/** An action's progress or result (role="status") and its error (role="alert"). */
export function ActionStatus({ action }: { readonly action: Pick<Action, 'busy' | 'status' | 'error'> }) {
  return (
    <>
      {action.status !== null && (
        <p role="status" className={action.busy ? 'status busy' : 'status done'}>
          {action.busy && <span className="spinner" aria-hidden="true" />}
          {action.status}
        </p>
      )}
      {action.error !== null && (
        <p role="alert" className="status error">
          {action.error}
        </p>
      )}
    </>
  );
}
