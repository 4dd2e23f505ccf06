import protobuf from 'protobufjs';
import { CORE_FLAVOURS, type CoreFlavour, type CoreProtoPackages } from './flavours.js';

/**
 * The few messages of the core's gRPC API the worker uses, written here as data: the field numbers
 * are those of V2Ray's and Xray's public API (test/core.api-protos.test.ts checks them against the
 * descriptors compiled into the real core), the package names come from the flavour's row.
 */

type Package = keyof CoreProtoPackages;
/** [field number, type, repeated?]; a type with a dot is `package.Message` within this table. */
type FieldSpec = readonly [id: number, type: string, rule?: 'repeated'];

const MESSAGES: readonly (readonly [Package, string, Readonly<Record<string, FieldSpec>>])[] = [
  ['stats', 'QueryStatsRequest', { pattern: [1, 'string'], reset: [2, 'bool'] }],
  ['stats', 'Stat', { name: [1, 'string'], value: [2, 'int64'] }],
  ['stats', 'QueryStatsResponse', { stat: [1, 'stats.Stat', 'repeated'] }],
  ['serial', 'TypedMessage', { type: [1, 'string'], value: [2, 'bytes'] }],
  ['protocol', 'User', { level: [1, 'uint32'], email: [2, 'string'], account: [3, 'serial.TypedMessage'] }],
  ['proxyman', 'AlterInboundRequest', { tag: [1, 'string'], operation: [2, 'serial.TypedMessage'] }],
  ['proxyman', 'AlterInboundResponse', {}],
  ['proxyman', 'AddUserOperation', { user: [1, 'protocol.User'] }],
  ['proxyman', 'RemoveUserOperation', { email: [1, 'string'] }],
  ['vless', 'Account', { id: [1, 'string'], flow: [2, 'string'], encryption: [3, 'string'] }],
];

export interface CoreApiProtos {
  readonly QueryStatsRequest: protobuf.Type;
  readonly QueryStatsResponse: protobuf.Type;
  readonly TypedMessage: protobuf.Type;
  readonly User: protobuf.Type;
  readonly AlterInboundRequest: protobuf.Type;
  readonly AlterInboundResponse: protobuf.Type;
  readonly AddUserOperation: protobuf.Type;
  readonly RemoveUserOperation: protobuf.Type;
  readonly VlessAccount: protobuf.Type;
  /** gRPC method paths. */
  readonly methods: { readonly queryStats: string; readonly alterInbound: string };
}

const cache = new Map<CoreFlavour, CoreApiProtos>();

/** The API messages under the flavour's package names (built once per flavour). */
export function coreApiProtos(flavour: CoreFlavour): CoreApiProtos {
  const cached = cache.get(flavour);
  if (cached) return cached;
  const row = CORE_FLAVOURS[flavour];
  if (row === undefined) throw new TypeError(`coreApiProtos: unknown flavour ${JSON.stringify(flavour)}`);
  const pkg = row.protoPackages;
  const root = new protobuf.Root();
  for (const [where, name, fields] of MESSAGES) {
    const type = new protobuf.Type(name);
    for (const [fieldName, [id, fieldType, rule]] of Object.entries(fields)) {
      type.add(new protobuf.Field(fieldName, id, qualify(fieldType, pkg), rule));
    }
    root.define(pkg[where]).add(type);
  }
  root.resolveAll();
  const lookup = (where: Package, name: string) => root.lookupType(`${pkg[where]}.${name}`);
  const protos: CoreApiProtos = Object.freeze({
    QueryStatsRequest: lookup('stats', 'QueryStatsRequest'),
    QueryStatsResponse: lookup('stats', 'QueryStatsResponse'),
    TypedMessage: lookup('serial', 'TypedMessage'),
    User: lookup('protocol', 'User'),
    AlterInboundRequest: lookup('proxyman', 'AlterInboundRequest'),
    AlterInboundResponse: lookup('proxyman', 'AlterInboundResponse'),
    AddUserOperation: lookup('proxyman', 'AddUserOperation'),
    RemoveUserOperation: lookup('proxyman', 'RemoveUserOperation'),
    VlessAccount: lookup('vless', 'Account'),
    methods: Object.freeze({
      queryStats: `/${pkg.stats}.StatsService/QueryStats`,
      alterInbound: `/${pkg.proxyman}.HandlerService/AlterInbound`,
    }),
  });
  cache.set(flavour, protos);
  return protos;
}

/** The full name of a message, as the core's registry knows it (the `type` of a TypedMessage). */
export function fullName(type: protobuf.Type): string {
  return type.fullName.replace(/^\./, '');
}

/** Wraps a message in a TypedMessage, the core's `Any`. */
export function typedMessage(protos: CoreApiProtos, type: protobuf.Type, value: Record<string, unknown>) {
  return protos.TypedMessage.create({
    type: fullName(type),
    value: type.encode(type.create(value)).finish(),
  });
}

function qualify(fieldType: string, pkg: CoreProtoPackages): string {
  const dot = fieldType.indexOf('.');
  if (dot === -1) return fieldType;
  return `.${pkg[fieldType.slice(0, dot) as Package]}${fieldType.slice(dot)}`;
}
