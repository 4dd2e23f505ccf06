export { signXray, type XraySignature } from './sign.js';
export { verifyXray, type XrayVerifyOptions, type XrayVerified } from './verify.js';
export { openNodeSecret, sealNodeSecret } from './secret-seal.js';
