import { useAction } from '../lib/use-action';
import { ActionStatus } from './ActionStatus';
import { Dialog } from './Dialog';

export interface ConfirmRequest {
  /** The dialog's title, e.g. "Delete node?". */
  readonly title: string;
  /** The question, with what will happen. */
  readonly question: string;
  /** The button's name: "Delete", "Restart", "Rotate", "Disable". */
  readonly verb: string;
  /** Shown while it runs: "Deleting…". */
  readonly progress: string;
  readonly danger?: boolean;
  readonly run: () => Promise<unknown>;
}

/** Asks before a destructive action, then runs it with its progress; closes when it succeeded. */
export function Confirm({
  request,
  onClose,
}: {
  readonly request: ConfirmRequest;
  readonly onClose: () => void;
}) {
  const action = useAction();
  const confirm = async () => {
    const ran = await action.run(request.progress, async () => {
      await request.run();
      return true;
    });
    if (ran === true) onClose();
  };
  return (
    <Dialog title={request.title} onClose={() => !action.busy && onClose()}>
      <p>{request.question}</p>
      <ActionStatus action={action} />
      <div className="actions">
        <button type="button" className="button" onClick={onClose} disabled={action.busy} autoFocus>
          Cancel
        </button>
        <button
          type="button"
          className={request.danger === false ? 'button primary' : 'button danger'}
          onClick={() => void confirm()}
          disabled={action.busy}
        >
          {request.verb}
        </button>
      </div>
    </Dialog>
  );
}
