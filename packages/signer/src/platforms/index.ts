/**
 * The signer's platforms: one row per exchange, looked up by the request's `platformId`. Adding an
 * exchange is one file behind the Platform interface and one row here.
 */
import { aster } from './aster.js';
import { binance } from './binance.js';
import { okx } from './okx.js';
import { pacifica } from './pacifica.js';
import type { Platform } from './platform.js';

/** No prototype: `PLATFORMS[platformId]` is undefined for "constructor", "__proto__" and the like. */
export const PLATFORMS: Readonly<Record<string, Platform>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, Platform>, { pacifica, aster, binance, okx }),
);

export { aster, binance, okx, pacifica };
export type { AccountCredential, Platform, PreparedKey, SignResult } from './platform.js';
