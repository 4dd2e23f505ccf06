/** Reads the Worker API's JSON answers; `null` means the answer does not have the expected shape. */
type Json = Record<string, unknown>;

export function parseObject(text: string): Json | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : null;
  } catch {
    return null;
  }
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0;

export function messageAnswer(answer: Json): { message: string } | null {
  return answer['status'] === 'ok' && typeof answer['message'] === 'string'
    ? { message: answer['message'] }
    : null;
}

export function logsAnswer(answer: Json): string | null {
  return answer['status'] === 'ok' && typeof answer['logs'] === 'string' ? answer['logs'] : null;
}

export interface WorkerStats {
  readonly uptime: number;
  readonly connections: number;
  readonly trafficUp: number;
  readonly trafficDown: number;
  /** The core's state as the worker reports it; null when the worker leaves it out. */
  readonly coreStatus: string | null;
}

export function statsAnswer(answer: Json): WorkerStats | null {
  const stats = answer['stats'] as Json | undefined;
  if (answer['status'] !== 'ok' || typeof stats !== 'object' || stats === null) return null;
  const { uptime, connections, traffic_up, traffic_down, xray_status } = stats;
  if (![uptime, connections, traffic_up, traffic_down].every(isCount)) return null;
  if (xray_status !== undefined && typeof xray_status !== 'string') return null;
  return {
    uptime: uptime as number,
    connections: connections as number,
    trafficUp: traffic_up as number,
    trafficDown: traffic_down as number,
    coreStatus: xray_status ?? null,
  };
}

export interface WorkerHealth {
  readonly registered: boolean;
  readonly coreStatus: string;
  /** The worker's clock, unix seconds. */
  readonly timestamp: number;
}

export function healthAnswer(answer: Json): WorkerHealth | null {
  const { status, registered, xray_status, timestamp } = answer;
  return status === 'ok' &&
    typeof registered === 'boolean' &&
    typeof xray_status === 'string' &&
    isCount(timestamp)
    ? { registered, coreStatus: xray_status, timestamp }
    : null;
}

/** The `{"error": …}` text of an error answer (or the raw text when it is not that shape), truncated. */
export function errorText(text: string, maxChars = 500): string {
  const answer = parseObject(text);
  const error = answer !== null && typeof answer['error'] === 'string' ? answer['error'] : text;
  return error.slice(0, maxChars);
}
