export {
  TEM_ALGORITHMS,
  temAlgorithmName,
  temPlaintext,
  type TemAlgorithm,
  type TemAlgorithmName,
  type TemRequest,
} from './algorithms.js';
export { formatTemToken, parseTemAuthorization, type TemCredential } from './header.js';
export { signTem, type TemSignInput, type TemSignature } from './sign.js';
export {
  verifyTem,
  type TemKey,
  type TemRequestInput,
  type TemVerifyOptions,
  type TemVerified,
} from './verify.js';
