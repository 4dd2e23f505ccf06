import type { FastifyInstance, FastifyRequest } from 'fastify';
import '../fastify/raw-json-body.js'; // declares request.rawBody
import { V1Error } from '../route-groups/envelope.js';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The only body parser of the OpenAPI context: any content type is read as bytes (within the body
 * limit: 413 applies while reading) and kept on `request.rawBody`, nothing parsed. So a request is
 * refused for its signature (401) before anything about its body is looked at: the content type,
 * the encoding and the JSON are checked by `parseSignedBody` once the signature matched.
 */
export function captureRawBody(app: FastifyInstance): void {
  if (!app.hasRequestDecorator('rawBody')) app.decorateRequest('rawBody', null);
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body: Buffer, done) => {
    request.rawBody = body;
    done(null, undefined);
  });
}

/**
 * After the signature check: refuses a body no signature covers (`unsignedBody`, or a GET/HEAD
 * announcing one, which Fastify never reads), a content type other than `application/json` (415),
 * a charset other than UTF-8, bytes that are not UTF-8 or text that is not JSON (400); then sets
 * `request.body` to the parsed value, for the route's body schema to validate next.
 */
export function parseSignedBody(request: FastifyRequest, unsignedBody: boolean): void {
  const raw = request.rawBody;
  if (unsignedBody || (raw === null && announcesBody(request))) {
    throw new V1Error(40000, `a ${request.method} request must not have a body: it is not signed`);
  }
  if (raw === null || raw.length === 0) {
    request.body = undefined;
    return;
  }
  const { mediaType, charset } = contentTypeOf(request.headers['content-type']);
  if (mediaType !== 'application/json') throw new V1Error(41500);
  if (charset !== undefined && charset !== 'utf-8' && charset !== 'utf8') {
    throw new V1Error(40000, 'the body must be UTF-8 JSON: send charset=utf-8 or no charset');
  }
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw new V1Error(40000, 'the body is not valid UTF-8');
  }
  try {
    request.body = JSON.parse(text) as unknown;
  } catch {
    throw new V1Error(40000, 'the body is not valid JSON');
  }
}

/** Whether the headers announce a body that was not read (Fastify skips the body of GET and HEAD). */
function announcesBody(request: FastifyRequest): boolean {
  const length = request.headers['content-length'];
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && Number(length) !== 0);
}

/** The media type and charset of a Content-Type header, lower-cased (`charset="UTF-8"` too). */
function contentTypeOf(header: string | undefined): { mediaType: string; charset: string | undefined } {
  const [type = '', ...parameters] = (header ?? '').split(';');
  let charset: string | undefined;
  for (const parameter of parameters) {
    const [name = '', value = ''] = parameter.split('=');
    if (name.trim().toLowerCase() !== 'charset') continue;
    charset = unquote(value.trim()).toLowerCase();
  }
  return { mediaType: type.trim().toLowerCase(), charset };
}

const unquote = (value: string): string => /^"(.*)"$/.exec(value)?.[1] ?? value;
