// The core layer of the node agent: an explicit list of what the rest of the worker uses.
export {
  CORE_FLAVOURS,
  detectCore,
  type CoreFlavour,
  type CoreFlavourRow,
  type CoreProtoPackages,
  type DetectedCore,
} from './flavours.js';
export { coreApiProtos, type CoreApiProtos } from './api-protos.js';
export { CoreApiClient, type CoreApiEndpoint, type VlessUser } from './api-client.js';
export {
  CoreSupervisor,
  type ApplyResult,
  type CoreCrashEvent,
  type CoreStatus,
  type CoreSupervisorOptions,
  type StartReason,
  type StopReason,
} from './supervisor.js';
export {
  API_TAG,
  apiEndpointOf,
  parseCoreConfig,
  vlessClientsDiff,
  withApiInbound,
  type VlessClientsDiff,
  type VlessUserChange,
} from './config-patch.js';
export {
  CORE_ERROR_CODES,
  CoreError,
  CoreNotFoundError,
  CoreConfigInvalidError,
  CoreStartFailedError,
  CoreApiError,
  type CoreErrorCode,
} from './errors.js';
