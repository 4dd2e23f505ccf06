// API calls are limited per authenticated caller and family: past the limit, 429 in the family's
// envelope; another caller keeps its own allowance, and refusals before authentication use none.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiMaster,
  bearerRequest,
  loginAdmin,
  newKey,
  send,
  startApiMaster,
  temFail,
  temRequest,
  v1Fail,
} from './support/api-master.js';

const LIMITED = 'too many requests: at most 3 a minute for this caller';

describe('calls per minute per caller', () => {
  let api: ApiMaster;
  beforeAll(async () => {
    api = await startApiMaster('sqlite', { callsPerMinute: 3 });
  });
  afterAll(() => api?.close());

  it('answers 429 in the TEM envelope past the limit, per key', async () => {
    const first = await newKey(api);
    const second = await newKey(api);
    // forged requests claiming the key are refused before they count
    for (let i = 0; i < 5; i++) {
      const forged = await temRequest(api, { ...first, secretKey: '0'.repeat(32) }, 'GET', '/api/v1/nodes');
      expect(forged.status).toBe(401);
    }
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await temRequest(api, first, 'GET', '/api/v1/nodes')).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect((await temRequest(api, first, 'GET', '/api/v1/nodes')).json).toStrictEqual(
      temFail(42900, LIMITED),
    );
    expect((await temRequest(api, second, 'GET', '/api/v1/nodes')).status).toBe(200);
  });

  it('answers 429 in the /v1 envelope past the limit, per admin', async () => {
    const token = await loginAdmin(api);
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) statuses.push((await bearerRequest(api, token, 'GET', '/v1/web/me')).status);
    expect(statuses).toEqual([200, 200, 200]);
    const limited = await bearerRequest(api, token, 'GET', '/v1/web/me');
    expect(limited.status).toBe(429);
    expect(limited.json).toStrictEqual(v1Fail(42900, LIMITED));
    // open routes are not counted
    expect((await send(api, 'GET', '/v1/public/health', {})).status).toBe(200);
  });
});
