import { type ReactNode, useEffect, useId, useRef } from 'react';

interface Props {
  readonly title: string;
  /**
   * Escape or a Cancel/Done button. Without it (a dialog that shows a secret once), Escape does
   * nothing and only the dialog's own button closes it.
   */
  readonly onClose?: () => void;
  readonly children: ReactNode;
  readonly wide?: boolean;
}

/** A modal `<dialog>`, open while it is rendered: focus stays inside, Escape closes it if it may. */
export function Dialog({ title, onClose, children, wide = false }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog !== null && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      aria-labelledby={titleId}
      className={wide ? 'dialog wide' : 'dialog'}
      // Without onClose: `closedby="none"` ignores Escape; where a browser lacks it, a close it
      // forces anyway (a second Escape cannot be refused) is undone.
      closedby={onClose === undefined ? 'none' : undefined}
      onCancel={(event) => {
        event.preventDefault();
        onClose?.();
      }}
      onClose={(event) => {
        if (onClose === undefined && event.currentTarget.isConnected) event.currentTarget.showModal();
      }}
    >
      <h2 id={titleId}>{title}</h2>
      {children}
    </dialog>
  );
}
