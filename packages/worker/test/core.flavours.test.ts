import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { CoreNotFoundError } from '../src/core/errors.js';
import { CORE_FLAVOURS, detectCore } from '../src/core/flavours.js';
import { runCommand } from '../src/core/run-command.js';
import { V2RAY, tempDir } from './support/core-fixtures.js';

const dir = tempDir('core-flavours');
const savedPath = process.env['PATH'];
afterEach(() => {
  process.env['PATH'] = savedPath;
});
afterAll(() => dir.remove());

/** A script named `name` that prints `line` when called with `expectedArg`, and fails otherwise. */
function fakeCore(name: string, expectedArg: string, line: string): string {
  const folder = mkdtempSync(join(dir.path, 'bin-'));
  const path = join(folder, name);
  writeFileSync(path, `#!/bin/sh\n[ "$1" = "${expectedArg}" ] || exit 3\necho "${line}"\n`);
  chmodSync(path, 0o755);
  return path;
}

describe('the flavour table', () => {
  it('has one row per core with its detection, command lines and API packages', () => {
    expect(Object.keys(CORE_FLAVOURS)).toEqual(['xray', 'v2ray']);
    const { xray, v2ray } = CORE_FLAVOURS;
    expect(xray.testArgs('/d/c.json')).toEqual(['run', '-test', '-c', '/d/c.json']);
    expect(xray.runArgs('/d/c.json')).toEqual(['run', '-c', '/d/c.json']);
    expect(v2ray.testArgs('/d/c.json')).toEqual(['-test', '-config', '/d/c.json']);
    expect(v2ray.runArgs('/d/c.json')).toEqual(['-config', '/d/c.json']);
    expect(xray.protoPackages).toEqual({
      stats: 'xray.app.stats.command',
      proxyman: 'xray.app.proxyman.command',
      serial: 'xray.common.serial',
      protocol: 'xray.common.protocol',
      vless: 'xray.proxy.vless',
    });
    expect(v2ray.protoPackages).toEqual({
      stats: 'v2ray.core.app.stats.command',
      proxyman: 'v2ray.core.app.proxyman.command',
      serial: 'v2ray.core.common.serial',
      protocol: 'v2ray.core.common.protocol',
      vless: 'v2ray.core.proxy.vless',
    });
  });

  it("v2ray's test command accepts a valid config and refuses an invalid one", async () => {
    const good = join(dir.path, 'good.json');
    const bad = join(dir.path, 'bad.json');
    writeFileSync(good, JSON.stringify({ outbounds: [{ protocol: 'freedom' }] }));
    writeFileSync(bad, JSON.stringify({ inbounds: [{ port: 1, protocol: 'nope' }] }));
    expect(
      (await runCommand(V2RAY, CORE_FLAVOURS.v2ray.testArgs(good), { timeoutMs: 10_000 })).exitCode,
    ).toBe(0);
    const refused = await runCommand(V2RAY, CORE_FLAVOURS.v2ray.testArgs(bad), { timeoutMs: 10_000 });
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output).toContain('unknown config id: nope');
  });
});

describe('detectCore', () => {
  it('recognises the real v2ray by its version line', async () => {
    expect(await detectCore(V2RAY)).toEqual({ flavour: 'v2ray', path: V2RAY, version: '4.34.0' });
  });

  it('recognises xray by `xray version`', async () => {
    const xray = fakeCore(
      'xray',
      'version',
      'Xray 1.8.24 (Xray, Penetrates Everything.) 3f0bb1d (go1.22.5 linux/amd64)',
    );
    expect(await detectCore(xray)).toEqual({ flavour: 'xray', path: xray, version: '1.8.24' });
  });

  it('looks for xray first, then v2ray, on PATH', async () => {
    const xray = fakeCore('xray', 'version', 'Xray 1.8.24 (Xray, Penetrates Everything.)');
    process.env['PATH'] = `${join(xray, '..')}:/usr/bin`;
    expect((await detectCore()).flavour).toBe('xray');
    process.env['PATH'] = '/usr/bin';
    expect(await detectCore()).toMatchObject({ flavour: 'v2ray', path: V2RAY });
    process.env['PATH'] = join(dir.path, 'empty');
    await expect(detectCore()).rejects.toBeInstanceOf(CoreNotFoundError);
  });

  it('refuses what is not a supported core', async () => {
    const v5 = fakeCore('v2ray', '-version', 'V2Ray 5.16.1 (V2Fly, a community-driven edition of V2Ray.)');
    await expect(detectCore(v5)).rejects.toThrow(/not a supported core/);
    await expect(detectCore('/bin/true')).rejects.toBeInstanceOf(CoreNotFoundError);
    await expect(detectCore(join(dir.path, 'missing'))).rejects.toThrow(/not an executable file/);
    const notExecutable = join(dir.path, 'plain');
    writeFileSync(notExecutable, '');
    await expect(detectCore(notExecutable)).rejects.toBeInstanceOf(CoreNotFoundError);
    await expect(detectCore('')).rejects.toBeInstanceOf(TypeError);
  });
});
