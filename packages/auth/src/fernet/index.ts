export { Fernet, type FernetDecryptOptions, type FernetEncryptOptions } from './fernet.js';
export { fernetKeyFromString, generateFernetKey } from './key.js';
