// Core config generation: an explicit list of exports.
export {
  generateCoreConfig,
  DEFAULT_API_PORT,
  type ConfigNode,
  type ConfigUser,
  type GenerateOptions,
  type GeneratedConfig,
  type CoreConfig,
  type CoreInbound,
} from './generate.js';
export { CORE_FLAVOURS, isCoreFlavour, type CoreFlavour } from './flavours.js';
export {
  CONFIG_ERROR_CODES,
  ConfigError,
  ConfigInputInvalidError,
  MaxUsersExceededError,
  type ConfigErrorCode,
} from './errors.js';
