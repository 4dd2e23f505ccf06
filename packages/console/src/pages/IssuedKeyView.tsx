import type { IssuedKey } from '../api/types';
import { CopyButton } from '../components/CopyButton';

/** A key's secret, in the one answer that carries it, with how to sign a call with it. */
export function IssuedKeyView({ issued }: { readonly issued: IssuedKey }) {
  const example = [
    'signet sign --scheme tem',
    `--ak ${issued.accessKey}`,
    '--secret env:SIGNET_SECRET_KEY',
    `--algorithm ${issued.algorithm}`,
    `--method GET --url ${window.location.origin}/api/v1/nodes`,
  ].join(' ');
  return (
    <div className="stack">
      <p className="warning">
        The secret key is <strong>shown only once</strong>: copy it now and keep it somewhere safe. Rotate the
        key if it is lost.
      </p>
      <label className="field">
        <span>Access key</span>
        <input className="mono" readOnly value={issued.accessKey} onFocus={(e) => e.target.select()} />
      </label>
      <label className="field">
        <span>Secret key</span>
        <input
          id="issued-secret"
          className="mono"
          readOnly
          value={issued.secretKey}
          onFocus={(e) => e.target.select()}
        />
      </label>
      <div>
        <CopyButton text={issued.secretKey} label="Copy secret key" fieldId="issued-secret" />
      </div>
      <p className="muted small">
        {issued.algorithm} · {issued.scope}. Sign an OpenAPI call with it, e.g.: <code>{example}</code>
      </p>
    </div>
  );
}
