import { signXray } from '@signet/auth';

/** Calls the master's node API; every call after registration is signed with X-Signature. */
export class MasterClient {
  constructor(
    private readonly baseUrl: string,
    private readonly timeoutMs = 10_000,
  ) {}

  register(body: {
    token: string;
    worker_url?: string;
    core_flavour: string;
    core_version: string;
  }): Promise<{
    node_id: number;
    api_secret: string;
    hidden_path: string;
  }> {
    return this.post('/api/node/register', { ...body, timestamp: now() });
  }

  heartbeat(nodeId: number, secret: string, body: Record<string, unknown>): Promise<{ status: string }> {
    return this.post('/api/node/heartbeat', { ...body, node_id: nodeId, timestamp: now() }, secret);
  }

  config(nodeId: number, secret: string): Promise<{ xray_config: string; config_version: string }> {
    return this.post('/api/node/config', { node_id: nodeId, timestamp: now() }, secret);
  }

  private async post<T>(path: string, body: object, secret?: string): Promise<T> {
    const text = JSON.stringify(body);
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (secret !== undefined) headers['x-signature'] = signXray(text, secret).signature;
    const response = await fetch(`${this.baseUrl}${path}`, {
      method: 'POST',
      headers,
      body: text,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const answer = (await response.json().catch(() => ({}))) as T & { error?: string };
    if (!response.ok)
      throw new Error(`master answered ${response.status} to ${path}: ${answer.error ?? 'no message'}`);
    return answer;
  }
}

function now(): number {
  return Math.floor(Date.now() / 1000);
}
