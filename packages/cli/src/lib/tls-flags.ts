import { resolve } from 'node:path';
import type { Command } from 'commander';
import type { TlsFilePaths } from '@signet/server';
import { isLoopback } from './loopback.js';
import { UsageError } from './usage-error.js';

export interface TlsFlags {
  tlsCert?: string;
  tlsKey?: string;
  insecureHttp?: boolean;
}

/** `--tls-cert`, `--tls-key` and `--insecure-http`, the same on every service command. */
export function addTlsOptions(command: Command): Command {
  return command
    .option(
      '--tls-cert <file>',
      'serve HTTPS with this PEM certificate chain (reloaded when the file changes)',
    )
    .option('--tls-key <file>', 'the PEM private key of --tls-cert')
    .option(
      '--insecure-http',
      'serve plain HTTP on a non-loopback address (only behind a TLS-terminating proxy or on a trusted network)',
    );
}

/**
 * The TLS files to serve with, or none: plain HTTP, which only a loopback address gets without
 * `--insecure-http` (secrets and signatures must not cross a network in the clear).
 */
export function tlsFromFlags(flags: TlsFlags, host: string): TlsFilePaths | undefined {
  if ((flags.tlsCert === undefined) !== (flags.tlsKey === undefined))
    throw new UsageError('--tls-cert and --tls-key go together: give both or neither');
  if (flags.tlsCert !== undefined && flags.tlsKey !== undefined)
    return { certPath: resolve(flags.tlsCert), keyPath: resolve(flags.tlsKey) };
  if (!isLoopback(host) && flags.insecureHttp !== true) {
    throw new UsageError(
      `listening on ${host} needs HTTPS: pass --tls-cert FILE --tls-key FILE (or, behind a TLS-terminating reverse proxy or on a trusted network, --insecure-http)`,
    );
  }
  return undefined;
}

export interface WorkerTlsFlags extends TlsFlags {
  tlsSelfSigned?: boolean;
}

/** What the worker serves: `tls` files, its own self-signed certificate, or (neither) plain HTTP. */
export interface WorkerTls {
  readonly tls: TlsFilePaths | undefined;
  readonly selfSigned: boolean;
}

/**
 * The worker's TLS: the operator's `--tls-cert/--tls-key`; else plain HTTP on a loopback address or
 * with `--insecure-http`; else (and with `--tls-self-signed`, also on loopback) its own self-signed
 * certificate, which the master pins at registration.
 */
export function workerTlsFromFlags(flags: WorkerTlsFlags, host: string): WorkerTls {
  if (flags.tlsSelfSigned === true) {
    if (flags.tlsCert !== undefined || flags.tlsKey !== undefined)
      throw new UsageError('--tls-self-signed and --tls-cert/--tls-key exclude each other: give one');
    if (flags.insecureHttp === true)
      throw new UsageError('--tls-self-signed and --insecure-http exclude each other: give one');
    return { tls: undefined, selfSigned: true };
  }
  if (flags.tlsCert === undefined && flags.tlsKey === undefined && !isLoopback(host) && !flags.insecureHttp)
    return { tls: undefined, selfSigned: true };
  return { tls: tlsFromFlags(flags, host), selfSigned: false };
}
