// The public API: an explicit list. Each scheme is also its own subpath (`@signet/auth/xray`, …).
export {
  AUTH_ERROR_CODES,
  SignetAuthError,
  MalformedError,
  SignatureMismatchError,
  TimestampInvalidError,
  TimestampExpiredError,
  NonceReplayedError,
  RequestReplayedError,
  KeyUnknownError,
  KeyDisabledError,
  KeyInvalidError,
  AlgorithmNotAllowedError,
  TokenInvalidError,
  TokenExpiredError,
  DecryptionFailedError,
  ReplayStoreUnavailableError,
  type AuthErrorCode,
} from './errors.js';
export type { Keyring, Secret } from './lib/keyring.js';
export { stringsEqual as secretsEqual } from './lib/compare.js';
export type { HeaderSource } from './lib/headers.js';
export { DEFAULT_MAX_AGE_SECONDS, type FreshnessOptions } from './lib/timestamp.js';
export {
  canonicalize,
  canonicalizeDocument,
  pythonFloatRepr,
  type CanonicalDocument,
} from './canonical-json/index.js';
export {
  signXray,
  verifyXray,
  sealNodeSecret,
  openNodeSecret,
  MAX_SECRET_GRACE_SECONDS,
  type XraySignature,
  type XrayVerifyOptions,
  type XrayVerified,
} from './xray/index.js';
export {
  signInternal,
  verifyInternal,
  internalStringToSign,
  type InternalSignInput,
  type InternalSignature,
  type InternalVerifyOptions,
  type InternalVerified,
} from './internal/index.js';
export {
  signDataTs,
  verifyDataTs,
  dataTsMessage,
  type DataTsSignInput,
  type DataTsSignature,
  type DataTsVerifyOptions,
  type DataTsVerified,
} from './data-ts/index.js';
export {
  signTem,
  verifyTem,
  parseTemAuthorization,
  formatTemToken,
  temAlgorithmName,
  TEM_ALGORITHMS,
  type TemAlgorithmName,
  type TemKey,
  type TemSignInput,
  type TemSignature,
  type TemVerifyOptions,
  type TemRequestInput,
  type TemVerified,
} from './tem/index.js';
export {
  signJwt,
  createJwtVerifier,
  bearerToken,
  type JwtSignOptions,
  type JwtVerifier,
  type JwtVerifierOptions,
} from './jwt/index.js';
export {
  Fernet,
  generateFernetKey,
  fernetKeyFromString,
  type FernetEncryptOptions,
  type FernetDecryptOptions,
} from './fernet/index.js';
export {
  MemoryReplayStore,
  RedisReplayStore,
  type ReplayStore,
  type MemoryReplayStoreOptions,
  type RedisReplayStoreOptions,
  type RedisSetNx,
} from './replay/index.js';
