export { signDataTs, dataTsMessage, type DataTsSignInput, type DataTsSignature } from './sign.js';
export { verifyDataTs, type DataTsVerifyOptions, type DataTsVerified } from './verify.js';
