// npm run bench [auth|signer|master]: every benchmark, or one. Each reports ratios against a baseline
// measured in the same run on the same machine.
const which = process.argv[2];
if (!which || which === 'auth') await import('./auth.mjs');
if (!which || which === 'signer') await import('./signer.mjs');
if (!which || which === 'master') await import('./master.mjs');
