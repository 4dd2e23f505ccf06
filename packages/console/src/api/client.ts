import { OFFLINE_ADVICE, adviceFor } from './advice';
import { endSession, getSession, SESSION_ENDED } from './session';

/** A refusal from the master: its envelope code and message, and what the reader can do. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: number,
    message: string,
    readonly advice: string,
  ) {
    super(message);
  }
}

interface Envelope {
  readonly code: number;
  readonly message: string;
  readonly data: unknown;
}

const isEnvelope = (value: unknown): value is Envelope =>
  typeof value === 'object' && value !== null && typeof (value as Envelope).code === 'number';

export type Query = Readonly<Record<string, string | number | undefined>>;

export interface RequestOptions {
  readonly body?: unknown;
  /** Advice for some codes that fits this call better than the general one. */
  readonly advice?: Readonly<Record<number, string>>;
  readonly query?: Query;
  readonly signal?: AbortSignal;
}

function urlOf(path: string, query: Query | undefined): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const search = params.toString();
  return search === '' ? path : `${path}?${search}`;
}

/** One call: the envelope's data on code 20000, else an ApiError. */
async function call<T>(method: string, path: string, options: RequestOptions, auth: boolean): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const session = getSession();
  if (auth && session !== null) headers['authorization'] = `Bearer ${session.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  let response: Response;
  try {
    response = await fetch(urlOf(path, options.query), {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ApiError(0, 'No answer from the master', OFFLINE_ADVICE);
  }
  const envelope: unknown = await response.json().catch(() => null);
  if (!isEnvelope(envelope)) {
    const code = response.status === 404 ? 40400 : response.status >= 500 ? 50200 : 50000;
    throw new ApiError(code, `Unexpected answer (HTTP ${response.status})`, OFFLINE_ADVICE);
  }
  if (envelope.code === 20000) return envelope.data as T;
  if (auth && envelope.code === 40100) endSession(SESSION_ENDED);
  const advice = options.advice?.[envelope.code] ?? adviceFor(envelope.code);
  throw new ApiError(envelope.code, envelope.message, advice);
}

/** The admin's API, `/v1/web/*`, with the session's JWT. */
export const api = {
  get: <T>(path: string, options: RequestOptions = {}) => call<T>('GET', `/v1/web${path}`, options, true),
  post: <T>(path: string, body: unknown = {}, options: RequestOptions = {}) =>
    call<T>('POST', `/v1/web${path}`, { ...options, body }, true),
  put: <T>(path: string, body: unknown, options: RequestOptions = {}) =>
    call<T>('PUT', `/v1/web${path}`, { ...options, body }, true),
  delete: <T>(path: string, options: RequestOptions = {}) =>
    call<T>('DELETE', `/v1/web${path}`, options, true),
};

/** The one public call the console makes. */
export const login = (name: string, password: string) =>
  call<{ token: string; expiresAt: string; name: string }>(
    'POST',
    '/v1/public/auth/login',
    { body: { name, password }, advice: { 40100: 'Check the name and the password, then try again.' } },
    false,
  );

/** "message. What to do." for anything a call threw. */
export function describeError(error: unknown): string {
  if (error instanceof ApiError) {
    const message = error.message.replace(/[.\s]*$/, '');
    return `${message.charAt(0).toUpperCase()}${message.slice(1)}. ${error.advice}`;
  }
  return `Something went wrong in the console (${String(error)}). Reload the page, then try again.`;
}

/** True when the route does not exist on this master (an older one). */
export const isMissingRoute = (error: unknown) => error instanceof ApiError && error.code === 40400;
