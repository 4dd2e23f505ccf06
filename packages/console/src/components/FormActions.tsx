import type { Action } from '../lib/use-action';
import { ActionStatus } from './ActionStatus';

/** The foot of a dialog's form: the action's progress or error, Cancel, and the submit button. */
export function FormActions({
  action,
  onCancel,
  submit,
}: {
  readonly action: Pick<Action, 'busy' | 'status' | 'error'>;
  readonly onCancel: () => void;
  /** The submit button's label, e.g. "Create". */
  readonly submit: string;
}) {
  return (
    <>
      <ActionStatus action={action} />
      <div className="actions">
        <button type="button" className="button" onClick={onCancel} disabled={action.busy}>
          Cancel
        </button>
        <button type="submit" className="button primary" disabled={action.busy}>
          {submit}
        </button>
      </div>
    </>
  );
}
