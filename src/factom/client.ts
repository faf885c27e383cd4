import { silentLogger, type Logger } from '../log.js';
import { toHex } from './bytes.js';
import type {
  AckStatusData,
  ChainHead,
  ChainKeyMr,
  CommitChainResult,
  CommitEntryResult,
  CurrentMinute,
  DBlockByHeight,
  DirectoryBlockJson,
  EntryAck,
  EntryBlockJson,
  EntryJson,
  FactoidAck,
  FactoidSubmitResult,
  Heights,
  PendingEntry,
  Properties,
  RevealResult,
  TransactionInclusion,
} from './client-types.js';
import { parseDirectoryBlock, type DirectoryBlock } from './dblock.js';
import { parseEntryBlock, type EntryBlock } from './eblock.js';
import { entryHashOfBytes, unmarshalEntry, type Entry } from './entry.js';
import { isTransientFactomError } from './errors.js';
import { retry, type RetryHooks, type RetryPolicy } from '../util/retry.js';
import { arr, badReply, bigInt, bool, hex32, hexBytes, int, obj, str, type Json } from './reply-fields.js';
import { rpcCall } from './transport.js';
import { logFields } from '../errors.js';

export interface FactomdClientOptions {
  /** Endpoint; default http://127.0.0.1:8088/v2 */
  readonly url?: string;
  /** Per-request timeout (ms); default 10 000. */
  readonly timeoutMs?: number;
  /** Extra attempts for idempotent calls after a transient failure; default 3. */
  readonly retries?: number;
  /** First backoff (ms), doubled per attempt up to maxBackoffMs; default 250 / 4000. */
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** Fraction of each backoff taken off at random; default 0.2. */
  readonly jitter?: number;
  readonly user?: string;
  readonly password?: string;
  readonly logger?: Logger;
  /** Injected for tests. */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

function chainKeyMrList(v: unknown, where: string): ChainKeyMr[] {
  return arr(v, where).map((x, i) => {
    const o = obj(x, `${where}[${i}]`);
    return { chainId: hex32(o, 'chainid', where), keyMr: hex32(o, 'keymr', where) };
  });
}

function ackData(v: unknown, where: string): AckStatusData {
  const o = obj(v, where);
  return {
    status: str(o, 'status', where),
    ...(typeof o.transactiondate === 'number' ? { transactionDate: o.transactiondate } : {}),
    ...(typeof o.blockdate === 'number' ? { blockDate: o.blockdate } : {}),
  };
}

/**
 * factomd v2 JSON-RPC client. Reads retry with exponential backoff on transient failures;
 * commits, reveals and factoid-submit are sent once (their retry is the caller's decision).
 */
export class FactomdClient {
  readonly url: string;
  private readonly timeoutMs: number;
  private readonly readRetry: RetryPolicy;
  private readonly user?: string;
  private readonly password?: string;
  private readonly log: Logger;
  private readonly hooks: RetryHooks;
  private nextId = 1;

  constructor(opts: FactomdClientOptions = {}) {
    this.url = opts.url ?? 'http://127.0.0.1:8088/v2';
    this.timeoutMs = opts.timeoutMs ?? 10_000;
    this.readRetry = {
      attempts: 1 + (opts.retries ?? 3), backoffMs: opts.backoffMs ?? 250, maxBackoffMs: opts.maxBackoffMs ?? 4000, jitter: opts.jitter ?? 0.2, retryable: isTransientFactomError,
    };
    this.user = opts.user;
    this.password = opts.password;
    this.log = opts.logger ?? silentLogger();
    this.hooks = { sleep: opts.sleep, random: opts.random };
  }

  /** A raw call: the untyped `result`. `idempotent` enables retries. */
  async call(method: string, params?: unknown, idempotent = true): Promise<unknown> {
    const transport = { url: this.url, timeoutMs: this.timeoutMs, user: this.user, password: this.password };
    const policy = idempotent ? this.readRetry : { ...this.readRetry, attempts: 1 };
    const onRetry = ({ attempt, waitMs, err }: { attempt: number; waitMs: number; err: unknown }) =>
      this.log.warn({ method, attempt, wait: waitMs, ...logFields(err) }, 'factomd call failed; retrying');
    return (await retry(policy, () => rpcCall(transport, this.nextId++, method, params), { ...this.hooks, onRetry })).value;
  }

  private async callObj(method: string, params?: unknown, idempotent = true): Promise<Json> {
    return obj(await this.call(method, params, idempotent), `${method} result`);
  }

  async heights(): Promise<Heights> {
    const r = await this.callObj('heights');
    const w = 'heights';
    return {
      directoryBlockHeight: int(r, 'directoryblockheight', w),
      leaderHeight: int(r, 'leaderheight', w),
      entryBlockHeight: int(r, 'entryblockheight', w),
      entryHeight: int(r, 'entryheight', w),
    };
  }

  async currentMinute(): Promise<CurrentMinute> {
    const r = await this.callObj('current-minute');
    const w = 'current-minute';
    return {
      leaderHeight: int(r, 'leaderheight', w),
      directoryBlockHeight: int(r, 'directoryblockheight', w),
      minute: int(r, 'minute', w),
      currentBlockStartTime: bigInt(r, 'currentblockstarttime', w),
      currentMinuteStartTime: bigInt(r, 'currentminutestarttime', w),
      currentTime: bigInt(r, 'currenttime', w),
      directoryBlockInSeconds: int(r, 'directoryblockinseconds', w),
      stallDetected: bool(r, 'stalldetected', w),
      faultTimeout: int(r, 'faulttimeout', w),
      roundTimeout: int(r, 'roundtimeout', w),
    };
  }

  async properties(): Promise<Properties> {
    const r = await this.callObj('properties');
    return { factomdVersion: str(r, 'factomdversion', 'properties'), factomdApiVersion: str(r, 'factomdapiversion', 'properties') };
  }

  async dblockByHeight(height: number, opts: { noraw?: boolean } = {}): Promise<DBlockByHeight> {
    const r = await this.callObj('dblock-by-height', opts.noraw ? { height, noraw: true } : { height });
    const w = 'dblock-by-height';
    const d = obj(r.dblock, `${w}.dblock`);
    const h = obj(d.header, `${w}.dblock.header`);
    const rawData = r.rawdata === undefined ? undefined : hexBytes(r, 'rawdata', w);
    return {
      dbHash: hex32(d, 'dbhash', w),
      keyMr: hex32(d, 'keymr', w),
      ...(d.headerhash === undefined ? {} : { headerHash: hex32(d, 'headerhash', w) }),
      header: {
        version: int(h, 'version', w),
        networkId: int(h, 'networkid', w),
        bodyMr: hex32(h, 'bodymr', w),
        prevKeyMr: hex32(h, 'prevkeymr', w),
        prevFullHash: hex32(h, 'prevfullhash', w),
        timestamp: int(h, 'timestamp', w),
        dbHeight: int(h, 'dbheight', w),
        blockCount: int(h, 'blockcount', w),
        chainId: hex32(h, 'chainid', w),
      },
      dbEntries: chainKeyMrList(d.dbentries, `${w}.dbentries`),
      ...(rawData === undefined ? {} : { rawData }),
    };
  }

  /**
   * The directory block at `height`, decoded from its binary and checked: BodyMR recomputed, and the
   * KeyMR, height and dbhash must match the JSON (what a strict sync needs).
   */
  async verifiedDirectoryBlock(height: number): Promise<DirectoryBlock> {
    const r = await this.dblockByHeight(height);
    if (!r.rawData) throw badReply('dblock-by-height returned no rawdata');
    const block = parseDirectoryBlock(r.rawData);
    if (toHex(block.keyMr) !== r.keyMr || block.header.dbHeight !== height || toHex(block.fullHash) !== r.dbHash) {
      throw badReply(`dblock ${height} rawdata does not match its keymr/height/dbhash`);
    }
    return block;
  }

  async directoryBlock(keyMr: string): Promise<DirectoryBlockJson> {
    const r = await this.callObj('directory-block', { keymr: keyMr });
    const w = 'directory-block';
    const h = obj(r.header, `${w}.header`);
    return {
      header: { prevBlockKeyMr: hex32(h, 'prevblockkeymr', w), sequenceNumber: int(h, 'sequencenumber', w), timestamp: int(h, 'timestamp', w) },
      entryBlockList: chainKeyMrList(r.entryblocklist, `${w}.entryblocklist`),
    };
  }

  async directoryBlockHead(): Promise<string> {
    return hex32(await this.callObj('directory-block-head'), 'keymr', 'directory-block-head');
  }

  async entryBlock(keyMr: string): Promise<EntryBlockJson> {
    const r = await this.callObj('entry-block', { keymr: keyMr });
    const w = 'entry-block';
    const h = obj(r.header, `${w}.header`);
    return {
      header: {
        blockSequenceNumber: int(h, 'blocksequencenumber', w),
        chainId: hex32(h, 'chainid', w),
        prevKeyMr: hex32(h, 'prevkeymr', w),
        timestamp: int(h, 'timestamp', w),
        dbHeight: int(h, 'dbheight', w),
      },
      entryList: arr(r.entrylist, `${w}.entrylist`).map((x, i) => {
        const o = obj(x, `${w}.entrylist[${i}]`);
        return { entryHash: hex32(o, 'entryhash', w), timestamp: int(o, 'timestamp', w) };
      }),
    };
  }

  async entry(hash: string): Promise<EntryJson> {
    const r = await this.callObj('entry', { hash });
    const w = 'entry';
    const ext = r.extids === null || r.extids === undefined ? [] : arr(r.extids, `${w}.extids`);
    return {
      chainId: hex32(r, 'chainid', w),
      content: hexBytes(r, 'content', w),
      extIds: ext.map((_x, i) => hexBytes(ext as unknown as Json, String(i), `${w}.extids`)),
    };
  }

  async rawData(hash: string): Promise<Buffer> {
    return hexBytes(await this.callObj('raw-data', { hash }), 'data', 'raw-data');
  }

  /** An entry fetched as binary and checked against its hash. */
  async verifiedEntry(hash: string): Promise<Entry> {
    const data = await this.rawData(hash);
    if (toHex(entryHashOfBytes(data)) !== hash.toLowerCase()) throw badReply(`raw entry does not hash to ${hash}`);
    return unmarshalEntry(data);
  }

  /** An entry block fetched as binary, BodyMR recomputed and KeyMR checked. */
  async verifiedEntryBlock(keyMr: string): Promise<EntryBlock> {
    const block = parseEntryBlock(await this.rawData(keyMr));
    if (toHex(block.keyMr) !== keyMr.toLowerCase()) throw badReply(`raw entry block does not hash to ${keyMr}`);
    return block;
  }

  async chainHead(chainId: string): Promise<ChainHead> {
    const r = await this.callObj('chain-head', { chainid: chainId });
    const head = str(r, 'chainhead', 'chain-head');
    if (head !== '' && !/^[0-9a-fA-F]{64}$/.test(head)) throw badReply('chain-head.chainhead is neither empty nor a hash');
    return { chainHead: head.toLowerCase(), chainInProcessList: bool(r, 'chaininprocesslist', 'chain-head') };
  }

  async commitEntry(commit: Uint8Array): Promise<CommitEntryResult> {
    const r = await this.callObj('commit-entry', { message: toHex(commit) }, false);
    const w = 'commit-entry';
    return { message: str(r, 'message', w), txid: hex32(r, 'txid', w), entryHash: hex32(r, 'entryhash', w) };
  }

  async commitChain(commit: Uint8Array): Promise<CommitChainResult> {
    const r = await this.callObj('commit-chain', { message: toHex(commit) }, false);
    const w = 'commit-chain';
    return { message: str(r, 'message', w), txid: hex32(r, 'txid', w), entryHash: hex32(r, 'entryhash', w), chainIdHash: hex32(r, 'chainidhash', w) };
  }

  async revealEntry(entry: Uint8Array): Promise<RevealResult> {
    return this.reveal('reveal-entry', entry);
  }

  async revealChain(entry: Uint8Array): Promise<RevealResult> {
    return this.reveal('reveal-chain', entry);
  }

  private async reveal(method: string, entry: Uint8Array): Promise<RevealResult> {
    const r = await this.callObj(method, { entry: toHex(entry) }, false);
    return { message: str(r, 'message', method), entryHash: hex32(r, 'entryhash', method), chainId: hex32(r, 'chainid', method) };
  }

  /** EC balance of an EC address (or 64-hex public key). */
  async entryCreditBalance(address: string): Promise<bigint> {
    return bigInt(await this.callObj('entry-credit-balance', { address }), 'balance', 'entry-credit-balance');
  }

  /** Factoshi balance of an FA address (or 64-hex RCD hash). */
  async factoidBalance(address: string): Promise<bigint> {
    return bigInt(await this.callObj('factoid-balance', { address }), 'balance', 'factoid-balance');
  }

  /** Factoshis per EC. */
  async entryCreditRate(): Promise<bigint> {
    return bigInt(await this.callObj('entry-credit-rate'), 'rate', 'entry-credit-rate');
  }

  /** Status of an entry (chainId = its chain) or of a commit (chainId = 'c'). */
  async ack(hash: string, chainId: string): Promise<EntryAck> {
    const r = await this.callObj('ack', { hash, chainid: chainId });
    const w = 'ack';
    const optHash = (k: string): string => {
      const v = r[k];
      if (v === undefined || v === '') return '';
      return hex32(r, k, w);
    };
    return { commitTxid: optHash('committxid'), entryHash: optHash('entryhash'), commitData: ackData(r.commitdata, `${w}.commitdata`), entryData: ackData(r.entrydata, `${w}.entrydata`) };
  }

  /** Status of a factoid transaction by txid. */
  async factoidAck(txid: string): Promise<FactoidAck> {
    const r = await this.callObj('ack', { hash: txid, chainid: 'f' });
    return { txid: hex32(r, 'txid', 'ack'), status: str(r, 'status', 'ack') };
  }

  /** Which blocks an entry (or transaction) landed in; height -1 while pending or unknown. */
  async transaction(hash: string): Promise<TransactionInclusion> {
    const r = await this.callObj('transaction', { hash });
    const w = 'transaction';
    const optHash = (k: string): string => (r[k] === '' ? '' : hex32(r, k, w));
    return {
      includedInTransactionBlock: optHash('includedintransactionblock'),
      includedInDirectoryBlock: optHash('includedindirectoryblock'),
      includedInDirectoryBlockHeight: int(r, 'includedindirectoryblockheight', w),
    };
  }

  async pendingEntries(): Promise<PendingEntry[]> {
    const r = await this.call('pending-entries', {});
    const w = 'pending-entries';
    if (r === null) return [];
    return arr(r, w).map((x, i) => {
      const o = obj(x, `${w}[${i}]`);
      return { entryHash: hex32(o, 'entryhash', w), chainId: o.chainid === null ? null : hex32(o, 'chainid', w), status: str(o, 'status', w) };
    });
  }

  async factoidSubmit(tx: Uint8Array): Promise<FactoidSubmitResult> {
    const r = await this.callObj('factoid-submit', { transaction: toHex(tx) }, false);
    return { message: str(r, 'message', 'factoid-submit'), txid: hex32(r, 'txid', 'factoid-submit') };
  }
}
