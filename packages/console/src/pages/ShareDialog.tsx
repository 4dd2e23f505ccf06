import QRCode from 'qrcode';
import { useEffect, useState } from 'react';
import { isMissingRoute } from '../api/client';
import type { ShareLink } from '../api/types';
import { CopyButton } from '../components/CopyButton';
import { Dialog } from '../components/Dialog';
import { LoadError } from '../components/LoadError';
import { useResource } from '../lib/use-resource';

const TRANSPORTS: Readonly<Record<string, string>> = { tcp: 'TCP', ws: 'WebSocket', xhttp: 'XHTTP' };

function Qr({ uri, alt }: { readonly uri: string; readonly alt: string }) {
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(uri, { margin: 1, width: 200, errorCorrectionLevel: 'M' })
      .then((url) => live && setSrc(url))
      .catch(() => live && setSrc(null));
    return () => {
      live = false;
    };
  }, [uri]);
  return src === null ? (
    <div className="qr placeholder" />
  ) : (
    <img className="qr" src={src} alt={alt} width={200} height={200} />
  );
}

/**
 * A link's field label and QR alt text. A node's first link is "Link for NODE"; its others name
 * their transport first ("NODE link over WebSocket"), so "Link for NODE" always means one field.
 */
function namesOf(link: ShareLink, links: readonly ShareLink[]) {
  const first = links.find((l) => l.nodeId === link.nodeId) === link;
  const transport = TRANSPORTS[link.transport] ?? link.transport;
  return first
    ? { label: `Link for ${link.nodeName}`, alt: `QR code for ${link.nodeName}` }
    : { label: `${link.nodeName} link over ${transport}`, alt: `${link.nodeName} QR code over ${transport}` };
}

/** The user's `vless://` links, one per node (and transport), each with its QR code. */
export function ShareDialog({ email, onClose }: { readonly email: string; readonly onClose: () => void }) {
  const links = useResource<ShareLink[]>(`/users/${encodeURIComponent(email)}/links`);
  return (
    <Dialog title={`Share links for ${email}`} onClose={onClose} wide>
      <p className="muted">
        Paste a link into a VLESS client (v2rayN, v2rayNG, Shadowrocket, NekoBox…) or scan its QR code.
      </p>
      {isMissingRoute(links.failure) ? (
        <p role="alert" className="status error">
          This master has no share links route yet: update signet, then try again.
        </p>
      ) : (
        <LoadError error={links.error} onRetry={links.reload} />
      )}
      {links.data === undefined && links.error === null && <p role="status">Loading links…</p>}
      {links.data?.length === 0 && (
        <p>No node offers a link yet: add a node and enable a transport on it, then share again.</p>
      )}
      <ul className="links">
        {links.data?.map((link, i) => {
          const names = namesOf(link, links.data ?? []);
          const field = `share-link-${i}`;
          return (
            <li key={`${link.nodeId}-${link.transport}`} className="link">
              <Qr uri={link.uri} alt={names.alt} />
              <div className="stack grow">
                <h3 id={`${field}-title`}>
                  {link.nodeName}{' '}
                  <span className="muted small">{TRANSPORTS[link.transport] ?? link.transport}</span>
                </h3>
                <label className="field">
                  <span>{names.label}</span>
                  <input
                    id={field}
                    className="mono"
                    readOnly
                    value={link.uri}
                    onFocus={(e) => e.target.select()}
                  />
                </label>
                <div>
                  <CopyButton
                    text={link.uri}
                    label="Copy link"
                    fieldId={field}
                    describedBy={`${field}-title`}
                  />
                </div>
              </div>
            </li>
          );
        })}
      </ul>
      <div className="actions">
        <button type="button" className="button primary" onClick={onClose}>
          Done
        </button>
      </div>
    </Dialog>
  );
}
