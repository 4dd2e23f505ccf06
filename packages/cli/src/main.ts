import { Command, CommanderError } from 'commander';
import { SignetAuthError } from '@signet/auth';
import { PromptInterruptedError } from './lib/password-input.js';
import { UsageError } from './lib/usage-error.js';
import { allowLooseSecretFiles } from './lib/secret-files.js';

type Register = (program: Command) => void;

/**
 * Every verb, one file each in commands/, loaded on demand: a command imports only its own
 * service packages, so `signet node list` does not load the signer and the worker.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  sign: async () => (await import('./commands/sign.js')).registerSign,
  secret: async () => (await import('./commands/secret.js')).registerSecret,
  signer: async () => (await import('./commands/signer.js')).registerSigner,
  master: async () => (await import('./commands/master.js')).registerMaster,
  node: async () => (await import('./commands/node.js')).registerNode,
  user: async () => (await import('./commands/user.js')).registerUser,
  worker: async () => (await import('./commands/worker.js')).registerWorker,
  traffic: async () => (await import('./commands/traffic.js')).registerTraffic,
  admin: async () => (await import('./commands/admin.js')).registerAdmin,
  key: async () => (await import('./commands/key.js')).registerKey,
  service: async () => (await import('./commands/service.js')).registerService,
  jwt: async () => (await import('./commands/jwt.js')).registerJwt,
  dev: async () => (await import('./commands/dev.js')).registerDev,
};

/**
 * Builds the `signet` program with the verb `argv` names, or with every verb (for help, or a verb
 * that does not exist, which commander then reports).
 */
export async function createProgram(argv: readonly string[] = []): Promise<Command> {
  const program: Command = new Command('signet')
    .description('Signet: signed service-to-service APIs')
    .version('0.1.0')
    .showHelpAfterError()
    // Options belong to the command they follow: `signer --data X` and `signer credentials add --data Y`.
    .enablePositionalOptions()
    .option(
      '--allow-loose-permissions',
      'only warn (instead of refusing to start) when a secret file Signet wrote is readable by other users',
    )
    .hook('preAction', () => allowLooseSecretFiles(program.opts().allowLoosePermissions === true))
    .exitOverride()
    .action(() => program.help());
  // The verb: the first argument after node and the script that is not a root option.
  const verb = argv.slice(2).find((arg) => !arg.startsWith('-'));
  const loaders =
    verb !== undefined && Object.hasOwn(COMMANDS, verb)
      ? [COMMANDS[verb] as () => Promise<Register>]
      : Object.values(COMMANDS);
  for (const register of await Promise.all(loaders.map((load) => load()))) register(program);
  return program;
}

/**
 * Runs the program and returns the exit code: 0 done, 1 failed (including a name or key that does not
 * exist), 2 bad usage (a malformed or missing argument), 130 interrupted with Ctrl-C at a prompt.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await (await createProgram(argv)).parseAsync(argv);
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (error instanceof UsageError || error instanceof PromptInterruptedError) {
      process.stderr.write(`signet: ${error.message}\n`);
      return error instanceof UsageError ? 2 : error.exitCode;
    }
    // Coded errors (auth, signer) carry safe messages and a stable code.
    const coded = (error as { code?: unknown }).code;
    const code =
      error instanceof SignetAuthError || (typeof coded === 'string' && /^[A-Z_]+$/.test(coded))
        ? ` (${String(coded)})`
        : '';
    process.stderr.write(`signet: ${error instanceof Error ? error.message : String(error)}${code}\n`);
    return 1;
  }
}
