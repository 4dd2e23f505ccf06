import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { basename, delimiter, isAbsolute, join, resolve } from 'node:path';
import { CoreNotFoundError } from './errors.js';
import { runCommand } from './run-command.js';

/**
 * The cores the worker drives, one row each: how to recognise the binary, its command lines and the
 * protobuf packages of its gRPC API. Xray is the production core, V2Ray 4 (Debian's `v2ray`) the one
 * every machine here can install. V2Ray 5 changed its command line and is not a row (its version line
 * does not match `versionPattern`, so detection refuses it).
 */
export type CoreFlavour = 'xray' | 'v2ray';

export interface CoreProtoPackages {
  /** StatsService, QueryStatsRequest/Response, Stat. */
  readonly stats: string;
  /** HandlerService, AlterInboundRequest/Response, AddUserOperation, RemoveUserOperation. */
  readonly proxyman: string;
  /** TypedMessage. */
  readonly serial: string;
  /** User. */
  readonly protocol: string;
  /** The VLESS Account. */
  readonly vless: string;
}

export interface CoreFlavourRow {
  readonly flavour: CoreFlavour;
  /** The name looked up on PATH. */
  readonly binary: string;
  /** Arguments that print the version line without starting anything. */
  readonly versionArgs: readonly string[];
  /** Matches the version line; group 1 is the version. */
  readonly versionPattern: RegExp;
  /** Checks a config file and exits: 0 when valid. */
  readonly testArgs: (configPath: string) => string[];
  /** Runs the core in the foreground on a config file. */
  readonly runArgs: (configPath: string) => string[];
  readonly protoPackages: CoreProtoPackages;
}

export const CORE_FLAVOURS: Readonly<Record<CoreFlavour, CoreFlavourRow>> = Object.freeze({
  xray: {
    flavour: 'xray',
    binary: 'xray',
    versionArgs: ['version'],
    versionPattern: /^Xray (\d+\.\d+\.\d+\S*)/m,
    testArgs: (configPath) => ['run', '-test', '-c', configPath],
    runArgs: (configPath) => ['run', '-c', configPath],
    protoPackages: {
      stats: 'xray.app.stats.command',
      proxyman: 'xray.app.proxyman.command',
      serial: 'xray.common.serial',
      protocol: 'xray.common.protocol',
      vless: 'xray.proxy.vless',
    },
  },
  v2ray: {
    flavour: 'v2ray',
    binary: 'v2ray',
    // `v2ray version` is not a command in V2Ray 4: it starts the core with its default config.
    versionArgs: ['-version'],
    versionPattern: /^V2Ray (4\.\d+\.\d+\S*)/m,
    testArgs: (configPath) => ['-test', '-config', configPath],
    runArgs: (configPath) => ['-config', configPath],
    protoPackages: {
      stats: 'v2ray.core.app.stats.command',
      proxyman: 'v2ray.core.app.proxyman.command',
      serial: 'v2ray.core.common.serial',
      protocol: 'v2ray.core.common.protocol',
      vless: 'v2ray.core.proxy.vless',
    },
  },
});

/** Detection order on PATH: the production core first. */
const SEARCH_ORDER: readonly CoreFlavour[] = ['xray', 'v2ray'];

export interface DetectedCore {
  readonly flavour: CoreFlavour;
  /** Absolute path of the binary. */
  readonly path: string;
  readonly version: string;
}

const VERSION_TIMEOUT_MS = 5_000;

/**
 * Finds the core: `path` when given (it must be one of the flavours), else `xray` then `v2ray` on
 * PATH. The flavour is decided by the version line, not by the file name.
 */
export async function detectCore(path?: string): Promise<DetectedCore> {
  if (path !== undefined) {
    if (typeof path !== 'string' || path.length === 0) {
      throw new TypeError('detectCore: "path" must be a non-empty string');
    }
    return identify(resolve(path));
  }
  for (const flavour of SEARCH_ORDER) {
    const found = await findOnPath(CORE_FLAVOURS[flavour].binary);
    if (found !== null) return identify(found);
  }
  throw new CoreNotFoundError(`no core found: neither ${SEARCH_ORDER.join(' nor ')} is on PATH`);
}

async function identify(path: string): Promise<DetectedCore> {
  if (!(await isExecutableFile(path)))
    throw new CoreNotFoundError(`core binary ${path} is not an executable file`);
  // Ask with the arguments of the flavour the file is named after; `-version` is safe for both.
  const named = Object.values(CORE_FLAVOURS).find((row) => basename(path) === row.binary);
  const result = await runCommand(path, named?.versionArgs ?? ['-version'], {
    timeoutMs: VERSION_TIMEOUT_MS,
  });
  for (const row of Object.values(CORE_FLAVOURS)) {
    const match = row.versionPattern.exec(result.output);
    if (match?.[1] !== undefined) return { flavour: row.flavour, path, version: match[1] };
  }
  const firstLine = result.output.split('\n', 1)[0]?.slice(0, 200) ?? '';
  throw new CoreNotFoundError(
    `${path} is not a supported core (version output: ${JSON.stringify(firstLine)})`,
  );
}

async function findOnPath(name: string): Promise<string | null> {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir || !isAbsolute(dir)) continue;
    const candidate = join(dir, name);
    if (await isExecutableFile(candidate)) return candidate;
  }
  return null;
}

async function isExecutableFile(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
