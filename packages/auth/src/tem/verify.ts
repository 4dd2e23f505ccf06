import {
  AlgorithmNotAllowedError,
  KeyDisabledError,
  KeyUnknownError,
  MalformedError,
  SignatureMismatchError,
  TimestampInvalidError,
} from '../errors.js';
import { stringsEqual } from '../lib/compare.js';
import { claimOnce } from '../lib/replay-window.js';
import { checkTimestamp, type FreshnessOptions, maxAgeSecondsOf } from '../lib/timestamp.js';
import type { ReplayStore } from '../replay/store.js';
import {
  TEM_ALGORITHMS,
  type TemAlgorithmName,
  temAlgorithmName,
  temChangesState,
  temParams,
} from './algorithms.js';
import { parseTemAuthorization } from './header.js';

export interface TemKey {
  readonly secretKey: string;
  /** Fixed when the key was created. */
  readonly algorithm: string;
  readonly enabled?: boolean;
}

export interface TemVerifyOptions extends FreshnessOptions {
  /** Looks up an access key; undefined when there is none. */
  readonly resolveKey: (accessKey: string) => TemKey | undefined | Promise<TemKey | undefined>;
  /** L0 algorithms send the secret itself and cannot expire: refused unless this is true. */
  readonly allowLevel0?: boolean;
  /** Refuse an exact copy of an accepted POST, PUT, PATCH or DELETE while its time is valid. */
  readonly replay?: ReplayStore;
}

export interface TemRequestInput {
  readonly authorization: string | undefined;
  readonly method: string;
  /** The request target as received: path and query string. */
  readonly url: string;
  /** The raw body text. */
  readonly body?: string;
}

export interface TemVerified {
  readonly accessKey: string;
  readonly algorithm: TemAlgorithmName;
  readonly timestampMs: number | undefined;
  /**
   * A non-empty body was sent with a method whose `params` are empty (GET, DELETE, HEAD, OPTIONS
   * and any other but POST, PUT, PATCH): no signature covers it, so the caller must refuse it.
   */
  readonly unsignedBody: boolean;
}

/** Verifies `Authorization: Bearer TEM-AUTH:{ak}:{signature}[:{unixtime}]` (seed 003). */
export async function verifyTem(request: TemRequestInput, options: TemVerifyOptions): Promise<TemVerified> {
  const credential = parseTemAuthorization(request.authorization);
  const key = await options.resolveKey(credential.accessKey);
  if (key === undefined) throw new KeyUnknownError('unknown access key');
  if (key.enabled === false) throw new KeyDisabledError('access key is disabled');
  const name = temAlgorithmName(key.algorithm);
  if (name === undefined) throw new AlgorithmNotAllowedError("the access key's algorithm is unknown");
  const algorithm = TEM_ALGORITHMS[name];
  if (algorithm.level === 0 && options.allowLevel0 !== true) {
    throw new AlgorithmNotAllowedError(`${name} keys are disabled on this server; use an L3 algorithm`);
  }

  let timestampMs: number | undefined;
  if (algorithm.level === 0 && credential.time !== undefined) {
    throw new MalformedError(`${name} takes no :{unixtime} part`);
  }
  if (algorithm.level === 3) {
    if (credential.time === undefined)
      throw new TimestampInvalidError(`${name} requires the :{unixtime} part`);
    timestampMs = checkTimestamp(credential.time, 'seconds', options);
  }

  const method = request.method.toUpperCase();
  const body = request.body ?? '';
  const params = temParams(method, body);
  const expected = algorithm.sign({
    accessKey: credential.accessKey,
    secretKey: key.secretKey,
    time: credential.time ?? '',
    method,
    url: request.url,
    params,
  });
  if (!stringsEqual(expected, credential.signature))
    throw new SignatureMismatchError('TEM-AUTH signature does not match');

  if (options.replay && timestampMs !== undefined && temChangesState(method)) {
    const now = options.now ?? Date.now;
    const replayKey = `tem:${credential.accessKey}:${credential.signature}`;
    await claimOnce(options.replay, replayKey, timestampMs, maxAgeSecondsOf(options), now);
  }
  return { accessKey: credential.accessKey, algorithm: name, timestampMs, unsignedBody: body !== params };
}
