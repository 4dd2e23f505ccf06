export { WorkerClient, type WorkerClientOptions } from './worker-client.js';
export { workerClientForNode } from './for-node.js';
export type { WorkerHealth, WorkerStats } from './lib/answers.js';
export {
  WORKER_CLIENT_ERROR_CODES,
  WorkerClientError,
  WorkerUnreachableError,
  WorkerRefusedError,
  WorkerFailedError,
  WorkerAnswerInvalidError,
  WorkerCertificateMismatchError,
  type WorkerClientErrorCode,
} from './errors.js';
