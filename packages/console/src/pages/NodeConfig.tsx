import { useId } from 'react';
import { api } from '../api/client';
import type { NodeConfig as Config } from '../api/types';
import { ActionStatus } from '../components/ActionStatus';
import { LoadError } from '../components/LoadError';
import { Pill } from '../components/Pill';
import { useAction } from '../lib/use-action';
import type { Resource } from '../lib/use-resource';

const pretty = (json: string) => {
  try {
    return JSON.stringify(JSON.parse(json), null, 2);
  } catch {
    return json;
  }
};

/**
 * The core config the master generates for the node, its version, and pushing it now. The version
 * the node runs comes from the node's own (polled) record, so "applied" follows its heartbeats.
 */
export function NodeConfig({
  nodeId,
  config,
  appliedVersion,
}: {
  readonly nodeId: number;
  readonly config: Resource<Config>;
  readonly appliedVersion: string | null;
}) {
  const titleId = useId();
  const push = useAction();
  const c = config.data;
  const applied = c !== undefined && appliedVersion === c.configVersion;

  const pushNow = () =>
    void push
      .run(
        'Pushing the config to the worker…',
        () => api.post<{ message: string; configVersion: string }>(`/nodes/${nodeId}/config`),
        (r) => `Version ${r.configVersion} pushed: ${r.message}`,
      )
      .then(config.reload);

  return (
    <section className="card" aria-labelledby={titleId}>
      <div className="section-head">
        <h2 id={titleId}>Configuration</h2>
        <button type="button" className="button" onClick={pushNow} disabled={push.busy}>
          Push config now
        </button>
      </div>
      <ActionStatus action={push} />
      <LoadError error={config.error} onRetry={config.reload} />
      {c !== undefined && (
        <>
          <p>
            <strong>Version {c.configVersion}</strong>{' '}
            {applied ? (
              <Pill text="applied on the node" tone="good" />
            ) : (
              <Pill
                text={appliedVersion === null ? 'not applied yet' : `node runs version ${appliedVersion}`}
                tone="warn"
              />
            )}
          </p>
          <pre className="code" aria-label="Core configuration" tabIndex={0}>
            {pretty(c.config)}
          </pre>
        </>
      )}
    </section>
  );
}
