import {
  createNode,
  deleteNode,
  issueRegistrationToken,
  listNodes,
  type NodeSettingsInput,
  trafficTotals,
  updateSettings,
} from '../../store/index.js';
import {
  DEFAULT_SECRET_GRACE_SECONDS,
  MAX_SECRET_GRACE_SECONDS,
  MIN_SECRET_GRACE_SECONDS,
  rotateNodeSecret,
  rotationMessage,
} from '../../rotate-node-secret.js';
import { notFound } from '../errors.js';
import { operation, param } from '../operation.js';
import {
  arrayOf,
  messageSchema,
  nodeIdParams,
  nodeSchema,
  nodeSettingsInputSchema,
  object,
} from '../schemas.js';
import { nodeView, sumTraffic } from '../views.js';
import { coreConfigOf, nodeOf, nodeWithTraffic, workerCommand, workerOf } from './node-access.js';

const str = { type: 'string' };
const bool = { type: 'boolean' };
const nullableStr = { type: ['string', 'null'] };
const tokenSchema = object({ token: str, expiresAt: str, workerCommand: str });
const base = { tag: 'nodes' } as const;

export const nodeOperations = [
  operation({
    ...base,
    id: 'nodes.list',
    method: 'GET',
    path: '/nodes',
    write: false,
    summary: 'Every node with its status, last heartbeat, core, config version and traffic',
    data: arrayOf(nodeSchema),
    run: async (_input, caller, { db }) => {
      const [nodes, totals] = await Promise.all([listNodes(db), trafficTotals(db, { email: '' })]);
      const visibility = { credentials: caller.canWrite };
      return nodes.map((node) =>
        nodeView(node, sumTraffic(totals.filter((t) => t.nodeId === node.id)), visibility),
      );
    },
  }),
  operation({
    ...base,
    id: 'nodes.get',
    method: 'GET',
    path: '/nodes/:id',
    write: false,
    summary: 'One node',
    params: nodeIdParams,
    data: nodeSchema,
    run: async ({ params }, caller, deps) =>
      nodeWithTraffic(deps, await nodeOf(deps, param(params, 'id')), caller),
  }),
  operation({
    ...base,
    id: 'nodes.create',
    method: 'POST',
    path: '/nodes',
    write: true,
    target: (body) => `name=${String((body as { name?: unknown }).name)}`,
    summary: 'Create a node and a one-time registration token (valid 24 h) for its worker',
    body: object(
      { name: { type: 'string', minLength: 1, maxLength: 64 }, settings: nodeSettingsInputSchema },
      ['name'],
    ),
    data: object({ node: nodeSchema, ...tokenSchema.properties }),
    run: async ({ body, origin }, caller, deps) => {
      const { name, settings } = body as { name: string; settings?: NodeSettingsInput };
      const created = await createNode(deps.db, deps.fernet, name, settings ?? {});
      return {
        node: await nodeWithTraffic(deps, await nodeOf(deps, String(created.nodeId)), caller),
        token: created.token,
        expiresAt: created.expiresAt.toISOString(),
        workerCommand: workerCommand(deps, origin, created.token),
      };
    },
  }),
  operation({
    ...base,
    id: 'nodes.token',
    method: 'POST',
    path: '/nodes/:id/token',
    write: true,
    summary: 'A new one-time registration token, to register the node again',
    params: nodeIdParams,
    data: tokenSchema,
    run: async ({ params, origin }, _caller, deps) => {
      const node = await nodeOf(deps, param(params, 'id'));
      const issued = await issueRegistrationToken(deps.db, node.id);
      return {
        token: issued.token,
        expiresAt: issued.expiresAt.toISOString(),
        workerCommand: workerCommand(deps, origin, issued.token),
      };
    },
  }),
  operation({
    ...base,
    id: 'nodes.rotateSecret',
    method: 'POST',
    path: '/nodes/:id/rotate-secret',
    write: true,
    summary:
      'Issue the node a new api_secret: handed to its worker now (or with its next heartbeat); the old one is accepted for graceSeconds (default 600) after the worker has the new one',
    params: nodeIdParams,
    body: object(
      {
        graceSeconds: {
          type: 'integer',
          minimum: MIN_SECRET_GRACE_SECONDS,
          maximum: MAX_SECRET_GRACE_SECONDS,
        },
      },
      [],
    ),
    data: object({
      delivered: bool,
      pendingSince: nullableStr,
      previousValidUntil: nullableStr,
      message: str,
    }),
    run: async ({ params, body }, _caller, deps) => {
      const node = await nodeOf(deps, param(params, 'id'));
      const { graceSeconds } = (body ?? {}) as { graceSeconds?: number };
      const rotation = await rotateNodeSecret(deps.db, deps.fernet, node, {
        graceSeconds: graceSeconds ?? DEFAULT_SECRET_GRACE_SECONDS,
        workerTimeoutMs: deps.workerTimeoutMs,
        changed: deps.nodeSecretsChanged,
      });
      return {
        delivered: rotation.delivered,
        pendingSince: rotation.pendingSince?.toISOString() ?? null,
        previousValidUntil: rotation.previousValidUntil?.toISOString() ?? null,
        message: rotationMessage(rotation),
      };
    },
  }),
  operation({
    ...base,
    id: 'nodes.update',
    method: 'PUT',
    path: '/nodes/:id/settings',
    write: true,
    summary: 'Change node settings (fields not given are kept); the worker picks them up at its next pull',
    params: nodeIdParams,
    body: nodeSettingsInputSchema,
    data: nodeSchema,
    run: async ({ params, body }, caller, deps) => {
      const node = await nodeOf(deps, param(params, 'id'));
      await updateSettings(deps.db, node.id, body as NodeSettingsInput);
      return nodeWithTraffic(deps, await nodeOf(deps, param(params, 'id')), caller);
    },
  }),
  operation({
    ...base,
    id: 'nodes.delete',
    method: 'DELETE',
    path: '/nodes/:id',
    write: true,
    summary: 'Delete a node with its tokens and traffic rows (its worker is refused from then on)',
    params: nodeIdParams,
    data: messageSchema,
    run: async ({ params }, _caller, deps) => {
      const node = await nodeOf(deps, param(params, 'id'));
      if (!(await deleteNode(deps.db, node.id))) throw notFound('node');
      return { message: 'node deleted' };
    },
  }),
  operation({
    ...base,
    id: 'nodes.config',
    method: 'GET',
    path: '/nodes/:id/config',
    write: false,
    credentials: true, // the config holds every user's VLESS id
    summary: "The core config the master generates for the node, its version, and the node's applied version",
    params: nodeIdParams,
    data: object({ config: str, configVersion: str, appliedVersion: { type: ['string', 'null'] } }),
    run: async ({ params }, _caller, deps) => {
      const node = await nodeOf(deps, param(params, 'id'));
      const generated = await coreConfigOf(deps, node);
      return {
        config: generated.configJson,
        configVersion: generated.configVersion,
        appliedVersion: node.configVersion,
      };
    },
  }),
  operation({
    ...base,
    id: 'nodes.pushConfig',
    method: 'POST',
    path: '/nodes/:id/config',
    write: true,
    summary:
      "Push the node's current config to its worker now (validated by the core before it is swapped in)",
    params: nodeIdParams,
    data: object({ message: str, configVersion: str }),
    run: async ({ params }, _caller, deps) => {
      const node = await nodeOf(deps, param(params, 'id'));
      const generated = await coreConfigOf(deps, node);
      const { message } = await (await workerOf(deps, node)).pushConfig(generated.configJson);
      return { message, configVersion: generated.configVersion };
    },
  }),
  operation({
    ...base,
    id: 'nodes.restart',
    method: 'POST',
    path: '/nodes/:id/restart',
    write: true,
    summary: "Restart the node's core (its traffic counters are read first)",
    params: nodeIdParams,
    data: messageSchema,
    run: async ({ params }, _caller, deps) => {
      const node = await nodeOf(deps, param(params, 'id'));
      return { message: (await (await workerOf(deps, node)).restart()).message };
    },
  }),
  operation({
    ...base,
    id: 'nodes.logs',
    method: 'GET',
    path: '/nodes/:id/logs',
    write: false,
    summary: "The last lines of the node's core log",
    params: nodeIdParams,
    query: {
      type: 'object',
      additionalProperties: false,
      properties: { lines: { type: 'string', pattern: '^(1000|[1-9][0-9]{0,2})$' } },
    },
    data: object({ logs: str }),
    run: async ({ params, query }, _caller, deps) => {
      const node = await nodeOf(deps, param(params, 'id'));
      return { logs: await (await workerOf(deps, node)).logs(Number(query['lines'] ?? 100)) };
    },
  }),
  operation({
    ...base,
    id: 'nodes.stats',
    method: 'GET',
    path: '/nodes/:id/stats',
    write: false,
    summary: "Live statistics from the node's worker",
    params: nodeIdParams,
    data: object({
      uptime: { type: 'integer' },
      connections: { type: 'integer' },
      trafficUp: { type: 'integer' },
      trafficDown: { type: 'integer' },
      coreStatus: { type: ['string', 'null'] },
    }),
    run: async ({ params }, _caller, deps) => {
      const node = await nodeOf(deps, param(params, 'id'));
      return (await workerOf(deps, node)).stats();
    },
  }),
];
