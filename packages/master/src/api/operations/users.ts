import {
  addUser,
  getUser,
  listNodes,
  listUsers,
  removeUser,
  setUserEnabled,
  trafficTotals,
} from '../../store/index.js';
import { notFound } from '../errors.js';
import { operation, param } from '../operation.js';
import { arrayOf, bytes, emailParams, messageSchema, object, trafficSchema, userSchema } from '../schemas.js';
import { shareLinks } from '../share-links.js';
import { sumTraffic, userView } from '../views.js';

const base = { tag: 'users' } as const;
const uuid = { type: 'string', pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' };

export const userOperations = [
  operation({
    ...base,
    id: 'users.list',
    method: 'GET',
    path: '/users',
    write: false,
    summary: 'Every proxy user with its traffic on all nodes',
    data: arrayOf(userSchema),
    run: async (_input, caller, { db }) => {
      const [users, totals] = await Promise.all([listUsers(db), trafficTotals(db)]);
      const visibility = { credentials: caller.canWrite };
      return users.map((user) =>
        userView(user, sumTraffic(totals.filter((t) => t.email === user.email)), visibility),
      );
    },
  }),
  operation({
    ...base,
    id: 'users.get',
    method: 'GET',
    path: '/users/:email',
    write: false,
    summary: 'One proxy user',
    params: emailParams,
    data: userSchema,
    run: async ({ params }, caller, { db }) => {
      const user = await getUser(db, param(params, 'email'));
      if (user === null) throw notFound('user');
      const traffic = sumTraffic(await trafficTotals(db, { email: user.email }));
      return userView(user, traffic, { credentials: caller.canWrite });
    },
  }),
  operation({
    ...base,
    id: 'users.create',
    method: 'POST',
    path: '/users',
    write: true,
    target: (body) => `email=${String((body as { email?: unknown }).email)}`,
    summary: 'Add a proxy user (a VLESS client on every node) with a new UUID, or the one given',
    body: object({ email: { type: 'string', maxLength: 254 }, id: uuid, enabled: { type: 'boolean' } }, [
      'email',
    ]),
    data: userSchema,
    run: async ({ body }, _caller, { db }) => {
      const { email, id, enabled } = body as { email: string; id?: string; enabled?: boolean };
      const user = await addUser(db, email, {
        ...(id === undefined ? {} : { id }),
        ...(enabled === undefined ? {} : { enabled }),
      });
      return userView(user, { up: '0', down: '0' }, { credentials: true });
    },
  }),
  operation({
    ...base,
    id: 'users.update',
    method: 'PUT',
    path: '/users/:email',
    write: true,
    summary: 'Enable or disable a proxy user (applied on the nodes without a core restart)',
    params: emailParams,
    body: object({ enabled: { type: 'boolean' } }),
    data: userSchema,
    run: async ({ params, body }, _caller, { db }) => {
      const email = param(params, 'email');
      if (!(await setUserEnabled(db, email, (body as { enabled: boolean }).enabled))) throw notFound('user');
      const user = await getUser(db, email);
      if (user === null) throw notFound('user');
      return userView(user, sumTraffic(await trafficTotals(db, { email })), { credentials: true });
    },
  }),
  operation({
    ...base,
    id: 'users.delete',
    method: 'DELETE',
    path: '/users/:email',
    write: true,
    summary: 'Remove a proxy user from every node (its traffic totals are kept)',
    params: emailParams,
    data: messageSchema,
    run: async ({ params }, _caller, { db }) => {
      if (!(await removeUser(db, param(params, 'email')))) throw notFound('user');
      return { message: 'user deleted' };
    },
  }),
  operation({
    ...base,
    id: 'users.traffic',
    method: 'GET',
    path: '/users/:email/traffic',
    write: false,
    summary: "A user's traffic, in total and per node",
    params: emailParams,
    data: object({
      total: trafficSchema,
      nodes: arrayOf(object({ nodeId: { type: 'integer' }, up: bytes, down: bytes })),
    }),
    run: async ({ params }, _caller, { db }) => {
      const email = param(params, 'email');
      if ((await getUser(db, email)) === null) throw notFound('user');
      const totals = await trafficTotals(db, { email });
      return {
        total: sumTraffic(totals),
        nodes: totals.map((t) => ({ nodeId: t.nodeId, up: t.up.toString(), down: t.down.toString() })),
      };
    },
  }),
  operation({
    ...base,
    id: 'users.links',
    method: 'GET',
    path: '/users/:email/links',
    write: false,
    credentials: true,
    summary:
      "The user's vless:// share links, one per VLESS inbound of every node that advertised its address",
    params: emailParams,
    data: arrayOf(
      object({
        nodeId: { type: 'integer' },
        nodeName: { type: 'string' },
        transport: { type: 'string' },
        uri: { type: 'string' },
      }),
    ),
    run: async ({ params }, _caller, { db }) => {
      const user = await getUser(db, param(params, 'email'));
      if (user === null) throw notFound('user');
      return (await listNodes(db)).flatMap((node) => shareLinks(user, node));
    },
  }),
];
