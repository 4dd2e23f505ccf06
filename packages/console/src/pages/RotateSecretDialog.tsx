import { type FormEvent, useId, useState } from 'react';
import { api } from '../api/client';
import type { ClusterNode, SecretRotationResult } from '../api/types';
import { FormActions } from '../components/FormActions';
import { Dialog } from '../components/Dialog';
import { useAction } from '../lib/use-action';

/** The master's bounds for graceSeconds (7 days at most) and its default. */
const GRACE = { min: 10, max: 604_800, default: 600 } as const;

const ADVICE: Readonly<Record<number, string>> = {
  40000: `Give a grace period of ${GRACE.min} to ${GRACE.max} seconds, then try again.`,
  40900:
    'Wait until the node has registered, or until the worker has confirmed the pending secret (its next heartbeat); then reload the page and try again.',
};

/** Why the grace period cannot be sent, or null when it can. */
function graceProblem(text: string): string | null {
  const value = Number(text);
  return /^\d+$/.test(text.trim()) && value >= GRACE.min && value <= GRACE.max
    ? null
    : `The grace period is a whole number of seconds from ${GRACE.min} to ${GRACE.max} (7 days).`;
}

/** Asks for a grace period, then issues the node a new api_secret; `onDone` gets the answer. */
export function RotateSecretDialog({
  node,
  onClose,
  onDone,
}: {
  readonly node: ClusterNode;
  readonly onClose: () => void;
  readonly onDone: (result: SecretRotationResult) => void;
}) {
  const [grace, setGrace] = useState(String(GRACE.default));
  const [checked, setChecked] = useState(false);
  const action = useAction();
  const fieldId = useId();
  const problem = graceProblem(grace);
  const showProblem = checked && problem !== null;

  const rotate = async (event: FormEvent) => {
    event.preventDefault();
    setChecked(true);
    if (problem !== null) {
      document.getElementById(fieldId)?.focus();
      return;
    }
    const result = await action.run('Rotating the secret…', () =>
      api.post<SecretRotationResult>(
        `/nodes/${node.id}/rotate-secret`,
        { graceSeconds: Number(grace) },
        { advice: ADVICE },
      ),
    );
    if (result !== undefined) onDone(result);
  };

  return (
    <Dialog title="Rotate secret?" onClose={() => !action.busy && onClose()}>
      <form className="stack" noValidate onSubmit={(event) => void rotate(event)}>
        <p>
          Give {node.name} a new API secret? The worker gets it at once over its Worker API, or with its next
          heartbeat. During the grace period both the old and the new secret are accepted; after it, only the
          new one.
        </p>
        <label className="field">
          <span>Grace period (seconds)</span>
          <input
            id={fieldId}
            type="number"
            inputMode="numeric"
            min={GRACE.min}
            max={GRACE.max}
            step={1}
            value={grace}
            aria-invalid={showProblem}
            aria-describedby={`${fieldId}-hint`}
            onChange={(e) => setGrace(e.target.value)}
            autoFocus
          />
        </label>
        {showProblem ? (
          <p id={`${fieldId}-hint`} role="alert" className="status error">
            {problem}
          </p>
        ) : (
          <p id={`${fieldId}-hint`} className="muted small">
            {GRACE.min} to {GRACE.max} seconds (7 days); {GRACE.default} by default.
          </p>
        )}
        <FormActions action={action} onCancel={onClose} submit="Rotate" />
      </form>
    </Dialog>
  );
}
