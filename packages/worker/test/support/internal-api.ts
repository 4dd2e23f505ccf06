import { request } from 'node:https';
import { signInternal } from '@signet/auth';

/** A `/v1/internal` call signed with seed 001's HMAC; over HTTPS trusting only `ca` when given. */
export async function internalCall(
  key: string,
  base: string,
  method: string,
  path: string,
  body?: unknown,
  ca?: string | string[],
): Promise<{ status: number; json: any }> {
  const headers: Record<string, string> = { ...signInternal({ secret: key }).headers };
  const text = body === undefined ? undefined : JSON.stringify(body);
  if (text) headers['content-type'] = 'application/json';
  if (ca === undefined) {
    const res = await fetch(`${base}/v1/internal${path}`, {
      method,
      headers,
      ...(text ? { body: text } : {}),
    });
    return { status: res.status, json: await res.json() };
  }
  return new Promise((resolve, reject) => {
    const req = request(`${base}/v1/internal${path}`, { method, headers, ca }, (res) => {
      let data = '';
      res.on('data', (chunk: Buffer) => (data += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, json: JSON.parse(data) }));
    });
    req.once('error', reject);
    req.end(text);
  });
}
