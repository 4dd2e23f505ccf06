import { type ReactNode, useId } from 'react';
import type { ClusterNode } from '../api/types';
import { Pill } from '../components/Pill';
import { Time } from '../components/Time';

/** How the master checks the worker's certificate when it calls it. */
function certificate(node: ClusterNode): ReactNode {
  if (node.tlsPinned)
    return <Pill text="pinned" tone="good" title="Only the certificate it registered with" />;
  if (node.workerUrl?.startsWith('http:') === true) return 'plain HTTP, no certificate';
  return 'checked against CAs';
}

/** The api_secret rotation: what is pending, and until when the old secret works. */
function secret(node: ClusterNode): ReactNode {
  const { pendingSince, previousValidUntil } = node.secretRotation;
  if (pendingSince === null && previousValidUntil === null) return 'no rotation in progress';
  return (
    <>
      {pendingSince !== null && (
        <span className="line">
          rotation pending since <Time iso={pendingSince} />{' '}
          <span className="muted small">(the worker gets it with its next heartbeat)</span>
        </span>
      )}
      {previousValidUntil !== null && (
        <span className="line">
          old secret accepted until <Time iso={previousValidUntil} />
        </span>
      )}
    </>
  );
}

/** Certificate pinning and secret rotation of a node, with the rotate button. */
export function NodeSecurity({
  node,
  onRotate,
}: {
  readonly node: ClusterNode;
  readonly onRotate: () => void;
}) {
  const titleId = useId();
  const rows: readonly { term: string; value: ReactNode; wide?: boolean }[] = [
    { term: 'Worker certificate', value: certificate(node) },
    { term: 'Last certificate mismatch', value: <Time iso={node.tlsMismatchAt} /> },
    { term: 'Secret', value: secret(node), wide: true },
  ];
  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>Security</h2>
        <button type="button" className="button" onClick={onRotate}>
          Rotate secret
        </button>
      </div>
      <dl className="facts">
        {rows.map(({ term, value, wide }) => (
          <div key={term} className={wide === true ? 'wide' : undefined}>
            <dt>{term}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      {node.tlsMismatchAt !== null && (
        <p className="warning hint">
          <strong>Certificate mismatch:</strong> the master does not call this worker until it registers
          again. If the new certificate is yours, issue a new registration token and start the worker once
          with it (README, “Pinned node certificates”).
        </p>
      )}
    </section>
  );
}
