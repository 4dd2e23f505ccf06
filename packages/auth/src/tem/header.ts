import { MalformedError } from '../errors.js';

export interface TemCredential {
  readonly accessKey: string;
  readonly signature: string;
  /** Unix seconds as sent, for L3; absent for L0. */
  readonly time: string | undefined;
}

const PREFIX = 'TEM-AUTH:';
const FIELD = /^[\x21-\x39\x3b-\x7e]{1,512}$/; // visible ASCII except ':'

/** Formats `TEM-AUTH:{ak}:{signature}[:{unixtime}]` (without `Bearer `). */
export function formatTemToken(accessKey: string, signature: string, time?: string): string {
  return `${PREFIX}${accessKey}:${signature}${time === undefined ? '' : `:${time}`}`;
}

/** Parses an `Authorization: Bearer TEM-AUTH:…` header value. */
export function parseTemAuthorization(header: string | undefined): TemCredential {
  if (header === undefined) throw new MalformedError('Authorization header is missing');
  const match = /^Bearer +(.*)$/i.exec(header.trim());
  const token = match?.[1];
  if (token === undefined || !token.startsWith(PREFIX)) {
    throw new MalformedError('Authorization must be "Bearer TEM-AUTH:{accessKey}:{signature}[:{unixtime}]"');
  }
  const parts = token.slice(PREFIX.length).split(':');
  if ((parts.length !== 2 && parts.length !== 3) || !parts.every((part) => FIELD.test(part))) {
    throw new MalformedError('Authorization must be "Bearer TEM-AUTH:{accessKey}:{signature}[:{unixtime}]"');
  }
  const [accessKey = '', signature = '', time] = parts;
  return { accessKey, signature, time };
}
