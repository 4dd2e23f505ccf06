import { Command, CommanderError } from 'commander';
import { SignetAuthError } from '@signet/auth';
import { registerSecret } from './commands/secret.js';
import { registerSign } from './commands/sign.js';
import { registerSigner } from './commands/signer.js';
import { registerMaster } from './commands/master.js';
import { registerNode } from './commands/node.js';
import { registerUser } from './commands/user.js';
import { registerWorker } from './commands/worker.js';
import { registerTraffic } from './commands/traffic.js';
import { registerAdmin } from './commands/admin.js';
import { registerKey } from './commands/key.js';
import { registerService } from './commands/service.js';
import { registerDev } from './commands/dev.js';
import { PromptInterruptedError } from './lib/password-input.js';
import { UsageError } from './lib/usage-error.js';
import { allowLooseSecretFiles } from './lib/secret-files.js';

/** Builds the `signet` program: one verb per file in commands/. */
export function createProgram(): Command {
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
  registerSign(program);
  registerSecret(program);
  registerSigner(program);
  registerMaster(program);
  registerNode(program);
  registerUser(program);
  registerWorker(program);
  registerTraffic(program);
  registerAdmin(program);
  registerKey(program);
  registerService(program);
  registerDev(program);
  return program;
}

/**
 * Runs the program and returns the exit code: 0 done, 1 failed (including a name or key that does not
 * exist), 2 bad usage (a malformed or missing argument), 130 interrupted with Ctrl-C at a prompt.
 */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    await createProgram().parseAsync(argv);
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
