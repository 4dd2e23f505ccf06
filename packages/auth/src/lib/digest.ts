import { createHash } from 'node:crypto';

export function sha1Hex(message: string | Uint8Array): string {
  return createHash('sha1').update(message).digest('hex');
}

export function sha256Hex(message: string | Uint8Array): string {
  return createHash('sha256').update(message).digest('hex');
}
