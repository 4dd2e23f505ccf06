import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import protobuf from 'protobufjs';

/**
 * The .proto descriptors compiled into a Go core binary. V2Ray's generated code registers each file
 * as a gzipped FileDescriptorProto; this finds them by their gzip magic and reads the few parts of
 * descriptor.proto the tests compare: packages, messages, fields, services.
 */

export interface EmbeddedField {
  readonly name: string;
  readonly number: number;
  /** FieldDescriptorProto.Type: 8 bool, 9 string, 11 message, 12 bytes, 13 uint32, 3 int64, … */
  readonly type: number;
  /** 1 optional, 3 repeated. */
  readonly label: number;
  readonly typeName: string;
}

export interface EmbeddedFile {
  readonly name: string;
  readonly package: string;
  readonly messages: ReadonlyMap<string, readonly EmbeddedField[]>;
  /** service → method → [input type, output type] */
  readonly services: ReadonlyMap<string, ReadonlyMap<string, readonly [string, string]>>;
}

export function embeddedProtoFiles(binaryPath: string): Map<string, EmbeddedFile> {
  const binary = readFileSync(binaryPath);
  const magic = Buffer.from([0x1f, 0x8b, 0x08]);
  const files = new Map<string, EmbeddedFile>();
  for (let at = binary.indexOf(magic); at !== -1; at = binary.indexOf(magic, at + 1)) {
    let raw: Buffer;
    try {
      raw = gunzipSync(binary.subarray(at, at + 256 * 1024));
    } catch {
      continue;
    }
    const file = parseFile(raw);
    if (file) files.set(file.name, file);
  }
  return files;
}

type Entry = readonly [field: number, value: Uint8Array | number];

function entries(bytes: Uint8Array): Entry[] {
  const reader = protobuf.Reader.create(bytes);
  const out: Entry[] = [];
  while (reader.pos < reader.len) {
    const tag = reader.uint32();
    const wireType = tag & 7;
    if (wireType === 2) out.push([tag >>> 3, reader.bytes()]);
    else if (wireType === 0) out.push([tag >>> 3, reader.uint32()]);
    else reader.skipType(wireType);
  }
  return out;
}

const text = (value: Uint8Array | number | undefined) =>
  value instanceof Uint8Array ? Buffer.from(value).toString('utf8') : '';
const first = (list: Entry[], field: number) => list.find(([f]) => f === field)?.[1];
const all = (list: Entry[], field: number) =>
  list.filter(([f, v]) => f === field && v instanceof Uint8Array).map(([, v]) => v as Uint8Array);

function parseFile(raw: Buffer): EmbeddedFile | null {
  let top: Entry[];
  try {
    top = entries(raw);
  } catch {
    return null;
  }
  const name = text(first(top, 1));
  if (!name.endsWith('.proto')) return null;
  const messages = new Map<string, EmbeddedField[]>();
  for (const message of all(top, 4)) {
    const m = entries(message);
    const fields = all(m, 2).map((bytes) => {
      const f = entries(bytes);
      return {
        name: text(first(f, 1)),
        number: Number(first(f, 3)),
        label: Number(first(f, 4)),
        type: Number(first(f, 5)),
        typeName: text(first(f, 6)),
      };
    });
    messages.set(text(first(m, 1)), fields);
  }
  const services = new Map<string, Map<string, readonly [string, string]>>();
  for (const service of all(top, 6)) {
    const s = entries(service);
    const methods = new Map<string, readonly [string, string]>();
    for (const method of all(s, 2)) {
      const m = entries(method);
      methods.set(text(first(m, 1)), [text(first(m, 2)), text(first(m, 3))]);
    }
    services.set(text(first(s, 1)), methods);
  }
  return { name, package: text(first(top, 2)), messages, services };
}
