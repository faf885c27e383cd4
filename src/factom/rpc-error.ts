import { ProsperError } from '../errors.js';
import { FactomErrorCode, type FactomErrorCodeValue } from './errors.js';

/** factomd JSON-RPC error codes (wsapi/errors.go). */
export const RpcCode = {
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  Internal: -32603,
  NotFound: -32008,
  MissingChainHead: -32009,
  Receipt: -32010,
  RepeatedCommit: -32011,
} as const;

const BY_RPC_CODE = new Map<number, FactomErrorCodeValue>([
  [RpcCode.InvalidRequest, FactomErrorCode.InvalidRequest],
  [RpcCode.MethodNotFound, FactomErrorCode.MethodNotFound],
  [RpcCode.InvalidParams, FactomErrorCode.InvalidParams],
  [RpcCode.Internal, FactomErrorCode.Internal],
  [RpcCode.NotFound, FactomErrorCode.NotFound],
  [RpcCode.MissingChainHead, FactomErrorCode.MissingChainHead],
  [RpcCode.Receipt, FactomErrorCode.Receipt],
  [RpcCode.RepeatedCommit, FactomErrorCode.RepeatedCommit],
]);

/** A JSON-RPC error answered by factomd, with its numeric code, message and optional data kept. */
export class FactomdRpcError extends ProsperError {
  readonly rpcCode: number;
  readonly rpcMessage: string;
  readonly data: unknown;
  readonly method: string;
  constructor(method: string, rpcCode: number, rpcMessage: string, data: unknown) {
    const detail = data === undefined ? '' : `: ${typeof data === 'string' ? data : JSON.stringify(data, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v))}`;
    super(BY_RPC_CODE.get(rpcCode) ?? FactomErrorCode.Rpc, `factomd ${method} failed (${rpcCode} ${rpcMessage}${detail})`);
    this.name = 'FactomdRpcError';
    this.rpcCode = rpcCode;
    this.rpcMessage = rpcMessage;
    this.data = data;
    this.method = method;
  }
}
