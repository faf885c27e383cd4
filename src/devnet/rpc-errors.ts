/** A JSON-RPC error as factomd emits it (wsapi/errors.go). */
export class RpcFailure extends Error {
  constructor(
    readonly code: number,
    readonly rpcMessage: string,
    readonly data?: unknown,
    /** factomd answers some failures (handler panics) with id null. */
    readonly nullId = false,
  ) {
    super(rpcMessage);
  }
}

export const invalidRequest = (): RpcFailure => new RpcFailure(-32600, 'Invalid Request', undefined, true);
export const methodNotFound = (): RpcFailure => new RpcFailure(-32601, 'Method not found');
export const invalidParams = (data?: string): RpcFailure => new RpcFailure(-32602, 'Invalid params', data);
export const internalError = (data?: string, nullId = false): RpcFailure => new RpcFailure(-32603, 'Internal error', data, nullId);
export const invalidHash = (): RpcFailure => invalidParams('Invalid Hash');
export const invalidAddress = (): RpcFailure => invalidParams('Invalid Address');
export const blockNotFound = (): RpcFailure => new RpcFailure(-32008, 'Block not found');
export const entryNotFound = (): RpcFailure => new RpcFailure(-32008, 'Entry not found');
export const objectNotFound = (): RpcFailure => new RpcFailure(-32008, 'Object not found');
export const missingChainHead = (): RpcFailure => new RpcFailure(-32009, 'Missing Chain Head');
export const receiptError = (): RpcFailure => new RpcFailure(-32010, 'Receipt creation error');
export const repeatedCommit = (entryHash: string): RpcFailure =>
  new RpcFailure(-32011, 'Repeated Commit', { info: 'A commit with equal or greater payment already exists', entryhash: entryHash });
