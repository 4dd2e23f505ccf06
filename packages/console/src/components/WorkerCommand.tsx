import type { RegistrationToken } from '../api/types';
import { CopyButton } from './CopyButton';
import { Time } from './Time';

/** A one-time registration token and the exact line to paste on the new machine. */
export function WorkerCommand({ issued }: { readonly issued: RegistrationToken }) {
  return (
    <div className="stack">
      <p>
        Run this on the new machine. The token works once, until <Time iso={issued.expiresAt} />; the node
        shows as online after its first heartbeat.
      </p>
      <label className="field">
        <span>Registration token</span>
        <input
          id="registration-token"
          className="mono"
          readOnly
          value={issued.token}
          onFocus={(e) => e.target.select()}
        />
      </label>
      <label className="field">
        <span>Worker command</span>
        <textarea
          id="worker-command"
          className="mono"
          readOnly
          rows={3}
          value={issued.workerCommand}
          onFocus={(e) => e.target.select()}
        />
      </label>
      <div>
        <CopyButton text={issued.workerCommand} label="Copy command" fieldId="worker-command" />
      </div>
    </div>
  );
}
