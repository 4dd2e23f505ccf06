import { type FormEvent, useId, useState } from 'react';
import { api } from '../api/client';
import type { ClusterNode, NodeSettings } from '../api/types';
import { ActionStatus } from '../components/ActionStatus';
import { useAction } from '../lib/use-action';

const SWITCHES: readonly {
  key: 'enable_vless' | 'enable_xhttp' | 'enable_hysteria2';
  label: string;
  hint: string;
}[] = [
  { key: 'enable_vless', label: 'VLESS', hint: 'VLESS over TCP on the VLESS port' },
  {
    key: 'enable_xhttp',
    label: 'XHTTP / WebSocket',
    hint: 'on the hidden path: xhttp on xray, WebSocket on v2ray',
  },
  {
    key: 'enable_hysteria2',
    label: 'Hysteria2',
    hint: 'xray only, on the VLESS port over UDP; needs TLS files',
  },
];

const NUMBERS: readonly { key: 'max_users' | 'port' | 'ws_port'; label: string; min: number; max: number }[] =
  [
    { key: 'max_users', label: 'Max users', min: 0, max: 100_000 },
    { key: 'port', label: 'VLESS port', min: 1, max: 65535 },
    { key: 'ws_port', label: 'HTTP transport port', min: 1, max: 65535 },
  ];

const PATHS: readonly { key: 'tls_cert_file' | 'tls_key_file'; label: string }[] = [
  { key: 'tls_cert_file', label: 'TLS certificate file' },
  { key: 'tls_key_file', label: 'TLS key file' },
];

/** The node's settings; saved as a whole, picked up by the worker at its next config pull. */
export function NodeSettingsForm({
  node,
  onSaved,
}: {
  readonly node: ClusterNode;
  readonly onSaved: () => void;
}) {
  const [settings, setSettings] = useState<NodeSettings>(node.settings);
  const action = useAction();
  const titleId = useId();
  const set = <K extends keyof NodeSettings>(key: K, value: NodeSettings[K]) =>
    setSettings((s) => ({ ...s, [key]: value }));

  const save = async (event: FormEvent) => {
    event.preventDefault();
    const saved = await action.run(
      'Saving…',
      () => api.put<ClusterNode>(`/nodes/${node.id}/settings`, settings),
      () => 'Settings saved: the worker applies them at its next config pull (or push the config now).',
    );
    if (saved !== undefined) {
      setSettings(saved.settings);
      onSaved();
    }
  };

  return (
    <form className="card" aria-labelledby={titleId} onSubmit={(event) => void save(event)}>
      <h2 id={titleId}>Settings</h2>
      <fieldset className="switches">
        <legend>Transports</legend>
        {SWITCHES.map((s) => (
          <div key={s.key} className="check">
            <input
              id={`${titleId}-${s.key}`}
              type="checkbox"
              checked={settings[s.key]}
              onChange={(e) => set(s.key, e.target.checked)}
              aria-describedby={`${titleId}-${s.key}-hint`}
            />
            <label htmlFor={`${titleId}-${s.key}`}>{s.label}</label>
            <span id={`${titleId}-${s.key}-hint`} className="muted small">
              {s.hint}
            </span>
          </div>
        ))}
      </fieldset>
      <div className="grid">
        {NUMBERS.map((n) => (
          <label key={n.key} className="field">
            <span>{n.label}</span>
            <input
              type="number"
              required
              min={n.min}
              max={n.max}
              step={1}
              value={Number.isNaN(settings[n.key]) ? '' : settings[n.key]}
              onChange={(e) => set(n.key, e.target.valueAsNumber)}
            />
          </label>
        ))}
        {PATHS.map((p) => (
          <label key={p.key} className="field">
            <span>{p.label}</span>
            <input
              className="mono"
              value={settings[p.key] ?? ''}
              placeholder="none"
              maxLength={4096}
              onChange={(e) => set(p.key, e.target.value.trim() === '' ? null : e.target.value)}
            />
          </label>
        ))}
      </div>
      <ActionStatus action={action} />
      <div className="actions start">
        <button type="submit" className="button primary" disabled={action.busy}>
          Save settings
        </button>
      </div>
    </form>
  );
}
