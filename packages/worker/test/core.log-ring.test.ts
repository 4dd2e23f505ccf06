import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CoreLogFile } from '../src/core/core-log.js';
import { LogRing } from '../src/core/log-ring.js';
import { tempDir } from './support/core-fixtures.js';

const dir = tempDir('core-log');
afterAll(() => dir.remove());

describe('LogRing', () => {
  it('keeps the last N complete lines, oldest first, joining lines split across chunks', () => {
    const ring = new LogRing(3, 10);
    ring.write('one\ntw');
    expect(ring.tail(10)).toEqual(['one']);
    ring.write('o\r\nthree\nfour\nfive is a long line\n');
    expect(ring.tail(10)).toEqual(['three', 'four', 'five is a ']);
    expect(ring.tail(1)).toEqual(['five is a ']);
    expect(ring.tail(0)).toEqual([]);
    ring.write('partial');
    ring.flush();
    expect(ring.tail(1)).toEqual(['partial']);
    expect(() => new LogRing(0)).toThrow(TypeError);
  });
});

describe('CoreLogFile', () => {
  it('follows the file into the ring and truncates it past its size limit', () => {
    const path = join(dir.path, 'core.log');
    appendFileSync(path, 'from an earlier core\n');
    const ring = new LogRing(100);
    const log = new CoreLogFile(path, ring, { maxBytes: 64 });
    log.loadExisting();
    expect(ring.tail(10)).toEqual(['from an earlier core']);
    appendFileSync(path, `${'x'.repeat(70)}\nhalf`);
    log.poll();
    expect(statSync(path).size).toBe(0); // past 64 bytes: read, then truncated
    appendFileSync(path, ' line\nnext\n');
    log.poll();
    expect(ring.tail(3)).toEqual(['x'.repeat(70), 'half line', 'next']);
    expect(readFileSync(path, 'utf8')).toBe(' line\nnext\n');
  });
});
