export { signXray, type XraySignature } from './sign.js';
export { verifyXray, type XrayVerifyOptions, type XrayVerified } from './verify.js';
export { MAX_SECRET_GRACE_SECONDS, openNodeSecret, sealNodeSecret } from './secret-seal.js';
