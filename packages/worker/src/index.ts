// The public API: an explicit list.
export { TrafficLedger, type TrafficReport, type Bytes } from './ledger/traffic-ledger.js';
export { startWorker, type Worker, type WorkerOptions } from './agent/agent.js';
export {
  workerApi,
  ConfigRejectedError,
  type NodeControl,
  type WorkerApiOptions,
} from './routes/worker-api.js';
