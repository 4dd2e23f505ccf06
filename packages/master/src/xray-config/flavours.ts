/**
 * The cores the master writes configs for, one row each: how the HTTP-based transport on the node's
 * hidden path is spelled, and whether Hysteria2 exists. V2Ray 4.34 (Debian's `v2ray`) predates
 * xhttp/splithttp, so it gets VLESS over WebSocket on the same path; it has no Hysteria2 either.
 */
export const CORE_FLAVOURS = Object.freeze({
  xray: {
    httpTransport: {
      tag: 'vless-xhttp',
      stream: (path: string) => ({ network: 'xhttp', xhttpSettings: { path, mode: 'auto' } }),
    },
    hysteria2: true,
  },
  v2ray: {
    httpTransport: {
      tag: 'vless-ws',
      stream: (path: string) => ({ network: 'ws', wsSettings: { path } }),
    },
    hysteria2: false,
  },
} as const);

export type CoreFlavour = keyof typeof CORE_FLAVOURS;

export function isCoreFlavour(value: unknown): value is CoreFlavour {
  return typeof value === 'string' && Object.hasOwn(CORE_FLAVOURS, value);
}
