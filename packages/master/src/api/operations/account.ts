import { V1Error } from '@signet/server';
import { endAdminSessions } from '../../store/index.js';
import { operation } from '../operation.js';
import { object } from '../schemas.js';

export const accountOperations = [
  operation({
    id: 'account.logout',
    tag: 'account',
    method: 'POST',
    path: '/auth/logout',
    write: true,
    except: ['openapi', 'service', 'internal'],
    summary: "Sign out: ends every web session of the caller's account issued before now",
    data: object({ message: { type: 'string' } }),
    run: async (_input, caller, { db }) => {
      if (!(await endAdminSessions(db, caller.name))) throw new V1Error(40100);
      return { message: 'signed out' };
    },
  }),
  operation({
    id: 'account.me',
    tag: 'account',
    method: 'GET',
    path: '/me',
    write: false,
    summary: 'Who the caller is authenticated as, and whether it may change state',
    data: object({ kind: { type: 'string' }, name: { type: 'string' }, canWrite: { type: 'boolean' } }),
    run: async (_input, caller) => ({ kind: caller.kind, name: caller.name, canWrite: caller.canWrite }),
  }),
];
