import type { Envelope } from './mount.js';
import type { Operation } from './operation.js';
import { OPERATIONS } from './operations/index.js';

const temAuth = (maxAgeSeconds: number) =>
  'Seed 003: `Authorization: Bearer TEM-AUTH:{accessKey}:{signature}:{unixtime}`. L3.SHA256: signature = ' +
  'hex SHA-256 of `ak:<AK>|sk:<SK>|time:<unixtime>|method:<METHOD>|url:<path?query>|params:<body>` (params is ' +
  'the raw body for POST and PUT, empty for GET and DELETE); L3.SHA1 the same with SHA-1; L3.HMAC-SHA256 ' +
  'is hex HMAC-SHA256 keyed by the SK over the same fields without `sk:<SK>|`. L0 keys (which send the ' +
  'secret itself) only where the operator enabled them. The time must be within ' +
  `${maxAgeSeconds} s of the server's clock; ` +
  'an exact replay of a POST, PUT or DELETE is refused.';

/** `/nodes/:id` as OpenAPI writes it. */
const openApiPath = (path: string) => path.replace(/:([A-Za-z]+)/g, '{$1}');

function parameters(op: Operation): object[] {
  const list: object[] = [];
  const add = (schema: object | undefined, where: 'path' | 'query') => {
    const properties = (schema as { properties?: Record<string, object> } | undefined)?.properties ?? {};
    const required = new Set((schema as { required?: string[] } | undefined)?.required ?? []);
    for (const [name, property] of Object.entries(properties)) {
      list.push({ name, in: where, required: where === 'path' || required.has(name), schema: property });
    }
  };
  add(op.params, 'path');
  add(op.query, 'query');
  return list;
}

/**
 * The OpenAPI 3.1 document of the AK/SK API, made from the same table the routes are: it cannot
 * describe a route that does not exist, nor miss one.
 */
export function openApiDocument(
  prefix: string,
  envelope: Envelope,
  failure: object,
  maxAgeSeconds: number,
): object {
  const paths: Record<string, Record<string, object>> = {};
  for (const op of OPERATIONS) {
    if (op.except?.includes('openapi')) continue;
    const path = `${prefix}${openApiPath(op.path)}`;
    paths[path] ??= {};
    paths[path][op.method.toLowerCase()] = {
      operationId: op.id,
      tags: [op.tag],
      summary: op.summary,
      description: op.write ? 'Changes state: needs a read-write key.' : 'Read-only keys may call it.',
      parameters: parameters(op),
      ...(op.body
        ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } }
        : {}),
      responses: {
        200: {
          description: 'Success',
          content: { 'application/json': { schema: envelope.schema(op.data) } },
        },
        default: { description: 'Failure (see Code)', content: { 'application/json': { schema: failure } } },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Signet master OpenAPI',
      version: '1',
      description: 'The cluster over AK/SK (seed 003). Success: {"Data": …, "Success": true}.',
    },
    components: {
      securitySchemes: {
        temAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'TEM-AUTH',
          description: temAuth(maxAgeSeconds),
        },
      },
    },
    security: [{ temAuth: [] }],
    paths,
  };
}
