import { resolve } from 'node:path';

/** Where Signet keeps its state unless --data says otherwise: $SIGNET_DATA, else ./.signet. */
export function defaultDataDir(): string {
  return resolve(process.env.SIGNET_DATA ?? '.signet');
}
