import { isProsperError, ProsperError } from '../errors.js';

/** Error codes raised by the Factom layer (codecs and client). */
export const FactomErrorCode = {
  /** A binary (entry, commit, block) could not be decoded or breaks a format rule. */
  Decode: 'PROSPER_E_FACTOM_DECODE',
  /** An argument is outside what the format allows (sizes, credits, key lengths). */
  Encode: 'PROSPER_E_FACTOM_ENCODE',
  /** A human address or key string is malformed (length, prefix, checksum). */
  Address: 'PROSPER_E_FACTOM_ADDRESS',
  /** factomd answered -32600 Invalid Request. */
  InvalidRequest: 'PROSPER_E_FACTOM_INVALID_REQUEST',
  /** factomd answered -32601 Method not found. */
  MethodNotFound: 'PROSPER_E_FACTOM_METHOD_NOT_FOUND',
  /** factomd answered -32602 Invalid params (see `data` for the detail). */
  InvalidParams: 'PROSPER_E_FACTOM_INVALID_PARAMS',
  /** factomd answered -32603 Internal error. */
  Internal: 'PROSPER_E_FACTOM_INTERNAL',
  /** factomd answered -32008 (Block / Entry / Object not found). */
  NotFound: 'PROSPER_E_FACTOM_NOT_FOUND',
  /** factomd answered -32009 Missing Chain Head. */
  MissingChainHead: 'PROSPER_E_FACTOM_MISSING_CHAIN_HEAD',
  /** factomd answered -32010 Receipt creation error. */
  Receipt: 'PROSPER_E_FACTOM_RECEIPT',
  /** factomd answered -32011 Repeated Commit. */
  RepeatedCommit: 'PROSPER_E_FACTOM_REPEATED_COMMIT',
  /** factomd answered with an error code this client does not know. */
  Rpc: 'PROSPER_E_FACTOM_RPC',
  /** The reply was not valid JSON-RPC or a result had the wrong shape. */
  BadReply: 'PROSPER_E_FACTOM_BAD_REPLY',
  /** An HTTP status other than 200/400 (e.g. 401, 500). */
  Http: 'PROSPER_E_FACTOM_HTTP',
  /** The request did not complete within the timeout. */
  Timeout: 'PROSPER_E_FACTOM_TIMEOUT',
  /** The connection failed (refused, reset, DNS). */
  Unreachable: 'PROSPER_E_FACTOM_UNREACHABLE',
} as const;

export type FactomErrorCodeValue = (typeof FactomErrorCode)[keyof typeof FactomErrorCode];

export function decodeError(message: string): ProsperError {
  return new ProsperError(FactomErrorCode.Decode, message);
}

export function encodeError(message: string): ProsperError {
  return new ProsperError(FactomErrorCode.Encode, message);
}

/**
 * Failures worth another attempt (the one rule for every factomd retry): the network, timeouts,
 * 5xx, a garbled reply, -32603. factomd's answers about the request itself will not change.
 */
export function isTransientFactomError(err: unknown): boolean {
  return (
    isProsperError(err, FactomErrorCode.Timeout) ||
    isProsperError(err, FactomErrorCode.Unreachable) ||
    isProsperError(err, FactomErrorCode.BadReply) ||
    isProsperError(err, FactomErrorCode.Internal) ||
    (isProsperError(err, FactomErrorCode.Http) && /HTTP 5\d\d/.test(err.message))
  );
}
