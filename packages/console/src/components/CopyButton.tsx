import { useEffect, useState } from 'react';

/** Copies `text`, falling back to selecting it in the field `fieldId` when the clipboard is closed. */
export function CopyButton({
  text,
  label,
  fieldId,
  describedBy,
}: {
  readonly text: string;
  readonly label: string;
  readonly fieldId?: string;
  readonly describedBy?: string;
}) {
  const [state, setState] = useState<'idle' | 'copied' | 'select'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2500);
    return () => clearTimeout(timer);
  }, [state]);

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      const field = fieldId === undefined ? null : document.getElementById(fieldId);
      if (field instanceof HTMLInputElement || field instanceof HTMLTextAreaElement) {
        field.focus();
        field.select();
      }
      setState('select');
    }
  };

  return (
    <span className="copy">
      <button type="button" className="button" onClick={() => void copy()} aria-describedby={describedBy}>
        {label}
      </button>
      {state !== 'idle' && (
        <span role="status" className="copy-note">
          {state === 'copied' ? 'Copied' : 'Selected: press Ctrl+C (⌘C) to copy'}
        </span>
      )}
    </span>
  );
}
