// What to do about each envelope code: one row per code the master answers with.

export const ADVICE: Readonly<Record<number, string>> = {
  40000: 'Check the values you entered and try again.',
  40100: 'Sign in again.',
  40300: 'Your account may not do this: sign in as an admin who may, or ask an operator.',
  40400: 'It may have been deleted meanwhile: reload the page.',
  40900: 'It clashes with the current state: reload the page, then try again.',
  41300: 'That is too much at once: send less.',
  41500: 'The console sent something the master does not accept: reload the page to get the current console.',
  42900: 'Too many requests: wait a minute, then try again.',
  50000: 'The master failed: look at its log (the output of signet master), then try again.',
  50200: 'A node or the signer did not answer: check that it is running and reachable, then try again.',
  50300:
    'That service is not available here: check the options signet master was started with, then try again.',
};

/** When no answer came at all. */
export const OFFLINE_ADVICE =
  'Could not reach the master: check that signet master is running and reachable, then try again.';

const FALLBACK = { client: 'Check what you entered, then try again.', server: 'Try again in a moment.' };

export const adviceFor = (code: number): string =>
  ADVICE[code] ?? (code >= 50000 ? FALLBACK.server : FALLBACK.client);
