import type { Operation } from '../operation.js';
import { accountOperations } from './account.js';
import { auditOperations } from './audit.js';
import { clusterOperations } from './cluster.js';
import { keyOperations } from './keys.js';
import { nodeOperations } from './nodes.js';
import { signerOperations } from './signer.js';
import { userOperations } from './users.js';

/** The API table: every operation, in the order the OpenAPI document lists them. */
export const OPERATIONS: readonly Operation[] = Object.freeze([
  ...clusterOperations,
  ...nodeOperations,
  ...userOperations,
  ...keyOperations,
  ...auditOperations,
  ...accountOperations,
  ...signerOperations,
]);
