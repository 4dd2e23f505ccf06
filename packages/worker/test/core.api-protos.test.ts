import { describe, expect, it } from 'vitest';
import { coreApiProtos } from '../src/core/api-protos.js';
import { CORE_FLAVOURS } from '../src/core/flavours.js';
import { embeddedProtoFiles, type EmbeddedFile } from './support/embedded-descriptors.js';
import { V2RAY } from './support/core-fixtures.js';

/**
 * The field numbers of api-protos.ts are checked against the real core twice: here against the
 * descriptors compiled into /usr/bin/v2ray, and in core.traffic.test.ts by talking to it.
 */

const SCALAR_TYPES: Record<string, number> = { int64: 3, bool: 8, string: 9, bytes: 12, uint32: 13 };
const MESSAGE_TYPE = 11;

const files = embeddedProtoFiles(V2RAY);
const byPackage = new Map<string, EmbeddedFile[]>();
for (const file of files.values())
  byPackage.set(file.package, [...(byPackage.get(file.package) ?? []), file]);

function coreMessage(fullName: string) {
  const dot = fullName.lastIndexOf('.');
  const [pkg, name] = [fullName.slice(0, dot), fullName.slice(dot + 1)];
  for (const file of byPackage.get(pkg) ?? []) {
    const fields = file.messages.get(name);
    if (fields) return fields;
  }
  return undefined;
}

describe('the API messages match the descriptors compiled into v2ray 4.34', () => {
  const protos = coreApiProtos('v2ray');
  const types = [
    protos.QueryStatsRequest,
    protos.QueryStatsResponse,
    protos.QueryStatsResponse.lookupType('Stat'),
    protos.TypedMessage,
    protos.User,
    protos.AlterInboundRequest,
    protos.AlterInboundResponse,
    protos.AddUserOperation,
    protos.RemoveUserOperation,
    protos.VlessAccount,
  ];

  it('finds the core files', () => {
    for (const name of [
      'app/stats/command/command.proto',
      'app/proxyman/command/command.proto',
      'common/serial/typed_message.proto',
      'common/protocol/user.proto',
      'proxy/vless/account.proto',
    ]) {
      expect(files.has(name), name).toBe(true);
    }
  });

  it.each(types.map((type) => [type.fullName.slice(1), type] as const))('%s', (fullName, type) => {
    const core = coreMessage(fullName);
    expect(core, `${fullName} in the core`).toBeDefined();
    for (const field of type.fieldsArray) {
      const match = core!.find((f) => f.number === field.id);
      expect(match, `${fullName} field ${field.id}`).toBeDefined();
      expect(match!.name).toBe(field.name);
      expect(match!.label).toBe(field.repeated ? 3 : 1);
      if (field.resolvedType) {
        expect(match!.type).toBe(MESSAGE_TYPE);
        expect(match!.typeName).toBe(field.resolvedType.fullName);
      } else {
        expect(match!.type).toBe(SCALAR_TYPES[field.type]);
      }
    }
  });

  it('calls the services by their real paths and message types', () => {
    const stats = files.get('app/stats/command/command.proto')!.services.get('StatsService')!;
    expect(protos.methods.queryStats).toBe(
      `/${CORE_FLAVOURS.v2ray.protoPackages.stats}.StatsService/QueryStats`,
    );
    expect(stats.get('QueryStats')).toEqual([
      protos.QueryStatsRequest.fullName,
      protos.QueryStatsResponse.fullName,
    ]);
    const handler = files.get('app/proxyman/command/command.proto')!.services.get('HandlerService')!;
    expect(protos.methods.alterInbound).toBe(
      `/${CORE_FLAVOURS.v2ray.protoPackages.proxyman}.HandlerService/AlterInbound`,
    );
    expect(handler.get('AlterInbound')).toEqual([
      protos.AlterInboundRequest.fullName,
      protos.AlterInboundResponse.fullName,
    ]);
  });
});

describe('xray: the same messages under xray.* names', () => {
  it('has every message of the v2ray row, field for field, in the xray packages', () => {
    const v2ray = coreApiProtos('v2ray');
    const xray = coreApiProtos('xray');
    expect(xray.methods).toEqual({
      queryStats: '/xray.app.stats.command.StatsService/QueryStats',
      alterInbound: '/xray.app.proxyman.command.HandlerService/AlterInbound',
    });
    expect(xray.TypedMessage.fullName).toBe('.xray.common.serial.TypedMessage');
    expect(xray.User.fullName).toBe('.xray.common.protocol.User');
    expect(xray.VlessAccount.fullName).toBe('.xray.proxy.vless.Account');
    expect(xray.User.fields['account']!.resolvedType!.fullName).toBe('.xray.common.serial.TypedMessage');
    for (const key of [
      'QueryStatsRequest',
      'QueryStatsResponse',
      'User',
      'AlterInboundRequest',
      'VlessAccount',
    ] as const) {
      const shape = (type: typeof v2ray.User) =>
        type.fieldsArray.map((f) => [f.name, f.id, f.type.split('.').at(-1)]);
      expect(shape(xray[key])).toEqual(shape(v2ray[key]));
    }
  });
});
