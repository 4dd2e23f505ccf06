export { signJwt, type JwtSignOptions } from './sign.js';
export { createJwtVerifier, bearerToken, type JwtVerifier, type JwtVerifierOptions } from './verify.js';
