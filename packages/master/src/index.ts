// The public API: an explicit list.
export { createMaster, type Master, type MasterOptions } from './app.js';
export {
  openDatabase,
  createNode,
  issueRegistrationToken,
  listNodes,
  getNodeByName,
  isNodeOnline,
  addUser,
  removeUser,
  setUserEnabled,
  listUsers,
  trafficTotals,
  StoreError,
  type Database,
  type NodeRecord,
  type ProxyUser,
} from './store/index.js';
