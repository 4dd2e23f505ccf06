// Every @signet/auth error code has a class, an HTTP status, and a row in the README's table.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as auth from '@signet/auth';
import { AUTH_ERROR_STATUS } from '@signet/server';

const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
type ErrorClass = new (message: string) => auth.SignetAuthError;
const errorClasses = (Object.values(auth) as unknown[]).filter(
  (value): value is ErrorClass =>
    typeof value === 'function' && value.prototype instanceof auth.SignetAuthError,
);

describe('auth error codes', () => {
  it('each code has exactly one exported error class', () => {
    const codes = errorClasses.map((ErrorClass) => new ErrorClass('m').code).sort();
    expect(codes).toEqual([...auth.AUTH_ERROR_CODES].sort());
  });

  it('each code has an HTTP status in the one table', () => {
    expect(Object.keys(AUTH_ERROR_STATUS).sort()).toEqual([...auth.AUTH_ERROR_CODES].sort());
    for (const status of Object.values(AUTH_ERROR_STATUS)) expect([400, 401, 500, 503]).toContain(status);
  });

  it("each code is documented in the README with the table's status", () => {
    for (const code of auth.AUTH_ERROR_CODES) {
      const row = readme.split('\n').find((line) => new RegExp(`^\\| \`${code}\` +\\|`).test(line));
      expect(row, `README row for ${code}`).toMatch(new RegExp(`\\| ${AUTH_ERROR_STATUS[code]} +\\|$`));
    }
  });

  it('keeps the cause and names the class', () => {
    const cause = new Error('inner');
    const error = new auth.MalformedError('bad', { cause });
    expect(error).toBeInstanceOf(auth.SignetAuthError);
    expect(error.name).toBe('MalformedError');
    expect(error.cause).toBe(cause);
  });
});
