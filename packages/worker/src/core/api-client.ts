import * as grpc from '@grpc/grpc-js';
import type protobuf from 'protobufjs';
import { coreApiProtos, typedMessage, type CoreApiProtos } from './api-protos.js';
import { CoreApiError } from './errors.js';
import type { CoreFlavour } from './flavours.js';

export interface CoreApiEndpoint {
  /** Defaults to 127.0.0.1: the API inbound listens on loopback only. */
  readonly host?: string;
  readonly port: number;
}

export interface VlessUser {
  readonly email: string;
  /** The VLESS id (a UUID). */
  readonly id: string;
  readonly level?: number;
  /** Xray's VLESS flow (`xtls-rprx-vision`); empty for none. */
  readonly flow?: string;
}

const DEFAULT_DEADLINE_MS = 3_000;
const MAX_TEXT = 1024;

/**
 * The core's gRPC API (StatsService, HandlerService) through generic unary calls: no generated
 * code, the messages of `api-protos.ts` under the flavour's package names. Every call has a deadline.
 */
export class CoreApiClient {
  readonly #client: grpc.Client;
  readonly #protos: CoreApiProtos;
  readonly #deadlineMs: number;

  constructor(endpoint: CoreApiEndpoint, flavour: CoreFlavour, options: { deadlineMs?: number } = {}) {
    const port = endpoint?.port;
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
      throw new TypeError('CoreApiClient: "endpoint.port" must be an integer in 1..65535');
    }
    const host = endpoint.host ?? '127.0.0.1';
    this.#protos = coreApiProtos(flavour);
    this.#deadlineMs = options.deadlineMs ?? DEFAULT_DEADLINE_MS;
    const target = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    this.#client = new grpc.Client(target, grpc.credentials.createInsecure(), {
      'grpc.max_receive_message_length': 64 * 1024 * 1024,
    });
  }

  /**
   * Counters whose name contains `pattern` (V2Ray 4 matches by substring; '' is all), by name.
   * With `reset`, each counter is read and zeroed in one atomic swap by the core.
   */
  async queryStats(pattern = '', reset = false): Promise<Map<string, bigint>> {
    checkText('pattern', pattern, true);
    if (typeof reset !== 'boolean') throw new TypeError('queryStats: "reset" must be a boolean');
    const p = this.#protos;
    const response = await this.#call(p.methods.queryStats, p.QueryStatsRequest, p.QueryStatsResponse, {
      pattern,
      reset,
    });
    const plain = p.QueryStatsResponse.toObject(response, { longs: String, defaults: true }) as {
      stat: { name: string; value: string }[];
    };
    const stats = new Map<string, bigint>();
    for (const { name, value } of plain.stat) stats.set(name, BigInt(value));
    return stats;
  }

  /** Adds a VLESS user to a running inbound (HandlerService.AlterInbound, AddUserOperation). */
  async addVlessUser(inboundTag: string, user: VlessUser): Promise<void> {
    checkText('inboundTag', inboundTag);
    checkText('user.email', user?.email);
    checkText('user.id', user.id);
    const level = user.level ?? 0;
    if (!Number.isInteger(level) || level < 0 || level > 0xffffffff) {
      throw new TypeError('addVlessUser: "user.level" must be an unsigned 32-bit integer');
    }
    if (user.flow !== undefined) checkText('user.flow', user.flow, true);
    const p = this.#protos;
    const account = typedMessage(p, p.VlessAccount, {
      id: user.id,
      flow: user.flow ?? '',
      encryption: 'none',
    });
    const operation = typedMessage(p, p.AddUserOperation, { user: { level, email: user.email, account } });
    await this.#alterInbound(inboundTag, operation);
  }

  /** Removes a user, by email, from a running inbound. New connections of that user are refused. */
  async removeUser(inboundTag: string, email: string): Promise<void> {
    checkText('inboundTag', inboundTag);
    checkText('email', email);
    const p = this.#protos;
    await this.#alterInbound(inboundTag, typedMessage(p, p.RemoveUserOperation, { email }));
  }

  close(): void {
    this.#client.close();
  }

  async #alterInbound(tag: string, operation: protobuf.Message): Promise<void> {
    const p = this.#protos;
    await this.#call(p.methods.alterInbound, p.AlterInboundRequest, p.AlterInboundResponse, {
      tag,
      operation,
    });
  }

  #call(
    method: string,
    requestType: protobuf.Type,
    responseType: protobuf.Type,
    request: Record<string, unknown>,
  ): Promise<protobuf.Message> {
    return new Promise((resolve, reject) => {
      this.#client.makeUnaryRequest(
        method,
        (message: protobuf.Message) => Buffer.from(requestType.encode(message).finish()),
        (bytes: Buffer) => responseType.decode(bytes),
        requestType.create(request),
        new grpc.Metadata(),
        { deadline: Date.now() + this.#deadlineMs },
        (error, response) => {
          if (error) {
            const status = grpc.status[error.code] ?? String(error.code);
            const details = (error.details || error.message).slice(0, MAX_TEXT);
            return reject(new CoreApiError(`${method}: ${status}: ${details}`, status, { cause: error }));
          }
          if (response === undefined) {
            return reject(new CoreApiError(`${method}: empty response`, 'INTERNAL'));
          }
          resolve(response);
        },
      );
    });
  }
}

function checkText(name: string, value: unknown, allowEmpty = false): void {
  if (typeof value !== 'string' || (!allowEmpty && value.length === 0) || value.length > MAX_TEXT) {
    throw new TypeError(`CoreApiClient: "${name}" must be a ${allowEmpty ? '' : 'non-empty '}string`);
  }
}
