import {
  ADMIN_CHAIN_ID,
  DBLOCK_CHAIN_ID,
  EC_CHAIN_ID,
  FACTOID_CHAIN_ID,
  addressKind,
  decodeAddress,
  eblockEntries,
  entryHashOfBytes,
  isValidChainCommit,
  isValidEntryCommit,
  parseChainCommit,
  parseEntryCommit,
  parseFactoidTransaction,
  toHex,
  unmarshalEntry,
  type ChainCommit,
  type DirectoryBlock,
  type Entry,
  type EntryCommit,
} from '../factom/index.js';
import { msToNs } from './clock.js';
import type { DevnetNetwork } from './network.js';
import { asParams, boolParam, hash32, hexBytes, intParam, stringParam, type Params } from './params.js';
import {
  blockNotFound,
  entryNotFound,
  internalError,
  invalidAddress,
  invalidHash,
  invalidParams,
  missingChainHead,
  objectNotFound,
  receiptError,
  repeatedCommit,
} from './rpc-errors.js';
import { buildReceipt } from './receipt.js';

export type Handler = (rawParams: unknown) => unknown;

export interface HandlerContext {
  readonly net: DevnetNetwork;
  readonly now: () => number;
  readonly version: string;
  readonly ecRate: bigint;
}

function hashOrFail(v: string): string {
  const h = hash32(v);
  if (!h) throw invalidHash();
  return h;
}

function dblockJson(b: DirectoryBlock): Record<string, unknown> {
  return {
    dbhash: toHex(b.fullHash),
    keymr: toHex(b.keyMr),
    headerhash: toHex(b.headerHash),
    header: {
      version: b.header.version,
      networkid: b.header.networkId,
      bodymr: toHex(b.header.bodyMr),
      prevkeymr: toHex(b.header.prevKeyMr),
      prevfullhash: toHex(b.header.prevFullHash),
      timestamp: b.header.timestamp,
      dbheight: b.header.dbHeight,
      blockcount: b.entries.length,
      chainid: toHex(DBLOCK_CHAIN_ID),
    },
    dbentries: b.entries.map((e) => ({ chainid: toHex(e.chainId), keymr: toHex(e.keyMr) })),
  };
}

function entryJson(e: Entry): Record<string, unknown> {
  return {
    chainid: toHex(e.chainId),
    content: toHex(e.content),
    extids: e.extIds.length === 0 ? null : e.extIds.map((x) => toHex(x)),
  };
}

const SPECIAL_ACK_CHAINS = new Set(['c', toHex(EC_CHAIN_ID), 'f', toHex(FACTOID_CHAIN_ID)]);

/** The factomd v2 methods the devnet serves, keyed by method name. */
export function createHandlers(ctx: HandlerContext): Map<string, Handler> {
  const { net } = ctx;
  const store = net.store;
  const h = new Map<string, Handler>();

  const entryStatus = (eh: string): string => {
    if (store.savedEntry(eh)) return 'DBlockConfirmed';
    const pl = net.processListEntry(eh);
    if (pl) return pl.status;
    if (store.completedEntry(eh)) return 'TransactionACK';
    return 'Unknown';
  };
  const commitStatus = (eh: string): string => {
    const known = net.commitTxidByEntry.has(eh);
    if (known && store.savedEntry(eh)) return 'DBlockConfirmed';
    if (known) return 'TransactionACK';
    if (net.isCommitHeld(eh)) return 'NotConfirmed';
    return 'Unknown';
  };

  h.set('heights', () => {
    const saved = store.savedHeight;
    return { directoryblockheight: saved, leaderheight: net.leaderHeight(), entryblockheight: saved, entryheight: saved };
  });

  h.set('current-minute', () => {
    const pos = net.position();
    return {
      leaderheight: net.leaderHeight(),
      directoryblockheight: store.savedHeight,
      minute: pos.minute,
      currentblockstarttime: msToNs(pos.blockStartMs),
      currentminutestarttime: msToNs(pos.minuteStartMs),
      currenttime: msToNs(ctx.now()),
      directoryblockinseconds: Math.max(1, Math.round(net.blockMs / 1000)),
      stalldetected: false,
      faulttimeout: 120,
      roundtimeout: 30,
    };
  });

  h.set('properties', () => ({ factomdversion: ctx.version, factomdapiversion: '2.0' }));

  h.set('dblock-by-height', (raw) => {
    const p = asParams(raw);
    const height = intParam(p, 'height');
    const noraw = boolParam(p, 'noraw');
    // Go decodes into uint32: negatives wrap to a height that does not exist.
    const b = height < 0 ? undefined : store.savedDBlock(height);
    if (!b) throw blockNotFound();
    return noraw ? { dblock: dblockJson(b) } : { dblock: dblockJson(b), rawdata: toHex(b.bytes) };
  });

  h.set('directory-block', (raw) => {
    const keymr = hashOrFail(stringParam(asParams(raw), 'keymr'));
    const b = store.savedDBlockByKeyMr(keymr);
    if (!b) throw blockNotFound();
    return {
      header: { prevblockkeymr: toHex(b.header.prevKeyMr), sequencenumber: b.header.dbHeight, timestamp: b.header.timestamp * 60 },
      entryblocklist: b.entries.map((e) => ({ chainid: toHex(e.chainId), keymr: toHex(e.keyMr) })),
    };
  });

  h.set('directory-block-head', () => {
    const b = store.savedDBlock(store.savedHeight);
    if (!b) throw blockNotFound();
    return { keymr: toHex(b.keyMr) };
  });

  h.set('entry-block', (raw) => {
    const keymr = hashOrFail(stringParam(asParams(raw), 'keymr'));
    const eb = store.savedEBlock(keymr);
    if (!eb) throw blockNotFound();
    const db = store.savedDBlock(eb.header.dbHeight);
    const ts = (db?.header.timestamp ?? 0) * 60;
    return {
      header: {
        blocksequencenumber: eb.header.sequence,
        chainid: toHex(eb.header.chainId),
        prevkeymr: toHex(eb.header.prevKeyMr),
        timestamp: ts,
        dbheight: eb.header.dbHeight,
      },
      entrylist: eblockEntries(eb).map((e) => ({ entryhash: toHex(e.hash), timestamp: ts + 60 * (e.minute + 1) })),
    };
  });

  h.set('entry', (raw) => {
    const hash = hashOrFail(stringParam(asParams(raw), 'hash'));
    const pl = net.processListEntry(hash);
    if (pl) return entryJson(unmarshalEntry(pl.bytes));
    const stored = store.completedEntry(hash);
    if (!stored) throw entryNotFound();
    return entryJson(stored.entry);
  });

  h.set('raw-data', (raw) => {
    // factomd panics on non-object params here: -32603 with id null.
    if (raw !== undefined && raw !== null && (typeof raw !== 'object' || Array.isArray(raw))) throw internalError(undefined, true);
    const hash = hashOrFail(stringParam(asParams(raw), 'hash'));
    const data =
      net.ecTxRaw.get(hash) ??
      net.processListEntry(hash)?.bytes ??
      store.completedEntry(hash)?.bytes ??
      store.savedDBlockByKeyMr(hash)?.bytes ??
      store.savedEBlock(hash)?.bytes;
    if (!data) throw objectNotFound();
    return { data: toHex(data) };
  });

  h.set('chain-head', (raw) => {
    const chain = hashOrFail(stringParam(asParams(raw), 'chainid'));
    const head = store.savedChainHead(chain);
    const inPl = net.chainInProcessList(chain);
    if (head) return { chainhead: head, chaininprocesslist: inPl };
    if (net.chainExists(chain)) return { chainhead: '', chaininprocesslist: true };
    throw missingChainHead();
  });

  /** A commit message: parsed, its signature checked, then paid once (factomd's refusals word for word). */
  function acceptCommit<C extends EntryCommit | ChainCommit>(raw: unknown, parse: (b: Uint8Array) => C, isValid: (c: C) => boolean, invalid: string): C {
    const bytes = hexBytes(stringParam(asParams(raw), 'message'));
    let c: C | undefined;
    try {
      c = bytes ? parse(bytes) : undefined;
    } catch {
      c = undefined;
    }
    if (!c || !isValid(c)) throw invalidParams(invalid);
    if (!net.submitCommit(c).ok) throw repeatedCommit(toHex(c.entryHash));
    return c;
  }

  h.set('commit-entry', (raw) => {
    const c = acceptCommit(raw, parseEntryCommit, isValidEntryCommit, 'Invalid Commit Entry');
    return { message: 'Entry Commit Success', txid: toHex(c.txid), entryhash: toHex(c.entryHash) };
  });

  h.set('commit-chain', (raw) => {
    const c = acceptCommit(raw, parseChainCommit, isValidChainCommit, 'Invalid Commit Chain');
    return { message: 'Chain Commit Success', txid: toHex(c.txid), entryhash: toHex(c.entryHash), chainidhash: toHex(c.chainIdHash) };
  });

  const reveal: Handler = (raw) => {
    const bytes = hexBytes(stringParam(asParams(raw), 'entry'));
    let entry: Entry | undefined;
    try {
      entry = bytes ? unmarshalEntry(bytes) : undefined;
    } catch {
      entry = undefined;
    }
    if (!bytes || !entry) throw invalidParams('Invalid Entry');
    net.submitReveal(bytes, entry);
    return { message: 'Entry Reveal Success', entryhash: toHex(entryHashOfBytes(bytes)), chainid: toHex(entry.chainId) };
  };
  h.set('reveal-entry', reveal);
  h.set('reveal-chain', reveal);

  h.set('entry-credit-balance', (raw) => {
    const a = stringParam(asParams(raw), 'address');
    const key = hash32(a) ?? (addressKind(a) === 'EC' ? toHex(decodeAddress('EC', a)) : undefined);
    if (!key) throw invalidAddress();
    return { balance: net.ledger.ecBalance(key) };
  });

  h.set('factoid-balance', (raw) => {
    const a = stringParam(asParams(raw), 'address');
    const key = hash32(a) ?? (addressKind(a) === 'FA' ? toHex(decodeAddress('FA', a)) : undefined);
    if (!key) throw invalidAddress();
    return { balance: net.ledger.fctBalance(key) };
  });

  h.set('entry-credit-rate', () => ({ rate: ctx.ecRate }));

  h.set('factoid-submit', (raw) => {
    const bytes = hexBytes(stringParam(asParams(raw), 'transaction'));
    let tx;
    try {
      tx = bytes && bytes.length > 0 ? parseFactoidTransaction(bytes) : undefined;
    } catch {
      tx = undefined;
    }
    if (!tx) throw invalidParams('Unable to decode the transaction');
    net.submitFactoidTransaction(tx);
    return { message: 'Successfully submitted the transaction', txid: toHex(tx.txid) };
  });

  h.set('ack', (raw) => ack(asParams(raw)));
  const ack = (p: Params): unknown => {
    const chain = stringParam(p, 'chainid').toLowerCase();
    let hash = stringParam(p, 'hash');
    const full = stringParam(p, 'fulltransaction');
    if (chain === toHex(ADMIN_CHAIN_ID)) throw invalidParams('ChainID cannot be admin chain');
    if (!SPECIAL_ACK_CHAINS.has(chain) && !hash32(chain)) throw invalidParams('ChainID must be 64 hex encoded characters');
    const isCommit = chain === 'c' || chain === toHex(EC_CHAIN_ID);
    const isFactoid = chain === 'f' || chain === toHex(FACTOID_CHAIN_ID);
    if (hash === '' && full !== '') {
      const bytes = hexBytes(full);
      if (!bytes) throw invalidParams('Unable to decode the transaction');
      try {
        if (isCommit) hash = toHex((bytes.length >= 200 ? parseChainCommit(bytes) : parseEntryCommit(bytes)).txid);
        else if (isFactoid) hash = toHex(parseFactoidTransaction(bytes).txid);
        else hash = toHex(entryHashOfBytes(bytes));
      } catch {
        throw invalidParams('Unable to decode the transaction');
      }
    }
    const hh = hash32(hash);
    if (!hh) throw invalidParams('Hash must be 64 hex encoded characters');
    if (isFactoid) {
      const at = net.factoidTxHeight.get(hh);
      const status = at === undefined ? 'Unknown' : at <= store.savedHeight ? 'DBlockConfirmed' : 'TransactionACK';
      return { txid: hh, status };
    }
    const eh = isCommit ? net.commitEntryByTxid.get(hh) : hh;
    if (eh === undefined) {
      return { committxid: hh, entryhash: '', commitdata: { status: 'Unknown' }, entrydata: { status: 'Unknown' } };
    }
    const txid = net.commitTxidByEntry.get(eh) ?? '';
    return { committxid: txid, entryhash: eh, commitdata: { status: commitStatus(eh) }, entrydata: { status: entryStatus(eh) } };
  };

  h.set('pending-entries', () => net.pendingEntries());

  h.set('transaction', (raw) => {
    const hash = hashOrFail(stringParam(asParams(raw), 'hash'));
    const saved = store.savedEntry(hash);
    const bytes = saved?.bytes ?? net.processListEntry(hash)?.bytes ?? store.completedEntry(hash)?.bytes;
    const e = bytes ? unmarshalEntry(bytes) : undefined;
    // Unlike `entry`, this shape lists ext ids as an array even when empty.
    const entry = e ? { entry: { version: 0, chainid: toHex(e.chainId), extids: e.extIds.map((x) => toHex(x)), content: toHex(e.content) } } : {};
    return {
      ...entry,
      includedintransactionblock: saved ? saved.eblockKeyMr : '',
      includedindirectoryblock: saved ? toHex(store.savedDBlock(saved.dbHeight)?.keyMr ?? Buffer.alloc(0)) : '',
      includedindirectoryblockheight: saved ? saved.dbHeight : -1,
    };
  });

  h.set('receipt', (raw) => {
    const p = asParams(raw);
    const hash = hashOrFail(stringParam(p, 'hash'));
    const includeRaw = boolParam(p, 'includerawentry');
    const r = buildReceipt(store, hash);
    if (!r) throw receiptError();
    return { receipt: { entry: includeRaw ? { raw: r.raw, ...r.entry } : r.entry, ...r.rest } };
  });

  return h;
}
