export {
  signInternal,
  internalStringToSign,
  type InternalSignInput,
  type InternalSignature,
} from './sign.js';
export { verifyInternal, type InternalVerifyOptions, type InternalVerified } from './verify.js';
