import type { SecretFilePolicy } from '@signet/server';

let allowLoose = false;

/** Set once from `signet --allow-loose-permissions`, before any command runs. */
export function allowLooseSecretFiles(allow: boolean): void {
  allowLoose = allow;
}

/** How commands treat a secret file other users can read: refused, or (with the flag) a warning. */
export function secretFilePolicy(): SecretFilePolicy {
  return {
    allowLoose,
    warn: (message) => process.stderr.write(`signet: warning: ${message}\n`),
  };
}
