import type { JobId, MinerId, UserId } from '../domain/index.js';
import { isProsperError, logFields, ProsperError } from '../errors.js';
import { buildEntryCommit, decodeAddress, ecAddressFromPrivate, FactomErrorCode, isTransientFactomError } from '../factom/index.js';
import type { Logger } from '../log.js';
import { retry, type RetryPolicy } from '../util/retry.js';
import { buildOprEntry, type OprEntryParts } from './opr-entry.js';

/**
 * The factomd calls the writer makes (FactomdClient has them). Reads (ack, balance) are retried
 * by the client itself; commit and reveal are sent once by it and retried here.
 */
export interface EntryWriterClient {
  commitEntry(commit: Uint8Array): Promise<{ txid: string }>;
  revealEntry(entry: Uint8Array): Promise<{ entryHash: string }>;
  ack(hash: string, chainId: string): Promise<{ entryData: { status: string } }>;
  entryCreditBalance(address: string): Promise<bigint>;
}

export interface SubmissionRequest extends OprEntryParts {
  jobId: JobId;
  userId?: UserId;
  minerId?: MinerId;
}

export type SubmissionStatus = 'revealed' | 'acknowledged' | 'failed';

export interface SubmissionRecord {
  jobId: JobId;
  entryHash: string;
  commitTxId: string;
  target: bigint;
  nonce: string;
  userId?: UserId;
  minerId?: MinerId;
  status: SubmissionStatus;
  error?: string;
  attempts: number;
  submittedAt: number;
}

/** Where every submission is recorded: the engine wires it to its PoolRecords, which add the job's OPR hash. */
export interface SubmissionLog {
  record(r: SubmissionRecord): Promise<void>;
}

export interface EntryWriterOptions {
  client: EntryWriterClient;
  /** The Es address that pays. */
  esAddress: string;
  log: SubmissionLog;
  logger: Logger;
  now?: () => number;
  random?: () => number;
  /** Attempts per commit and per reveal before giving up (default 3). */
  attempts?: number;
  /** First retry delay in ms, doubled each time (default 250, at most 4000, less up to 20% jitter). */
  backoffMs?: number;
  /** Warn when the EC balance is below this (default 1000). */
  ecWarn?: number;
  /** Re-read the EC balance after this many submissions (default 20). */
  balanceEvery?: number;
  /** Ask for the ack this long after the reveal (ms, default 2000); 0 disables the ack check. */
  ackAfterMs?: number;
  sleep?: (ms: number) => Promise<void>;
}

const defaultSleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms).unref());

/**
 * Writes OPR entries: commit (signed with the Es key, paid in Entry Credits) then reveal,
 * retrying what failed in transit, treating factomd's "repeated commit" as success, confirming
 * with ack, watching the EC balance, and recording every outcome.
 */
export class EntryWriter {
  private readonly seed: Buffer;
  readonly ecAddress: string;
  private balance: bigint | undefined;
  private sinceBalance = 0;
  private warnedLow = false;
  private readonly pendingAcks = new Set<Promise<void>>();

  constructor(private readonly o: EntryWriterOptions) {
    try {
      this.seed = decodeAddress('Es', o.esAddress);
    } catch (err) {
      throw new ProsperError('PROSPER_E_SUBMIT_ESADDRESS', `[pool] esaddress is not a valid Es address: ${(err as Error).message}`);
    }
    this.ecAddress = ecAddressFromPrivate(o.esAddress);
  }

  private now(): number {
    return (this.o.now ?? Date.now)();
  }

  /** The last EC balance read (refreshing it when due). */
  async ecBalance(refresh = false): Promise<bigint> {
    if (refresh || this.balance === undefined || this.sinceBalance >= (this.o.balanceEvery ?? 20)) {
      this.balance = await this.o.client.entryCreditBalance(this.ecAddress);
      this.sinceBalance = 0;
      const low = this.balance < BigInt(this.o.ecWarn ?? 1000);
      if (low && !this.warnedLow) this.o.logger.warn({ ecAddress: this.ecAddress, balance: this.balance.toString() }, 'Entry Credit balance is low: fund it or submissions will stop');
      this.warnedLow = low;
    }
    return this.balance;
  }

  /** Commit or reveal, each sent once by the client: retried here under the one retry policy. */
  private send<T>(what: string, fn: () => Promise<T>): Promise<{ value: T; attempts: number }> {
    const policy: RetryPolicy = { attempts: this.o.attempts ?? 3, backoffMs: this.o.backoffMs ?? 250, maxBackoffMs: 4000, jitter: 0.2, retryable: isTransientFactomError };
    return retry(policy, fn, {
      sleep: this.o.sleep ?? defaultSleep,
      random: this.o.random,
      onRetry: ({ attempt, err }) => this.o.logger.debug({ what, attempt, ...logFields(err) }, 'retrying factomd call'),
    });
  }

  /** Commits and reveals one OPR entry; resolves with what was recorded. Never throws. */
  async submit(req: SubmissionRequest): Promise<SubmissionRecord> {
    const { bytes, hash, cost } = buildOprEntry(req);
    const record: SubmissionRecord = {
      jobId: req.jobId,
      entryHash: hash.toString('hex'),
      commitTxId: '',
      target: req.target,
      nonce: Buffer.from(req.nonce).toString('hex'),
      userId: req.userId,
      minerId: req.minerId,
      status: 'failed',
      attempts: 0,
      submittedAt: this.now(),
    };
    try {
      const balance = await this.ecBalance();
      if (balance < BigInt(cost)) {
        throw new ProsperError('PROSPER_E_SUBMIT_NO_EC', `Entry Credit balance ${balance} of ${this.ecAddress} cannot pay ${cost} EC`);
      }
      // The commit's timestamp carries random milliseconds so two commits in one ms differ.
      const ts = Math.floor(this.now() / 1000) * 1000 + Math.floor((this.o.random ?? Math.random)() * 1000);
      const commit = buildEntryCommit(hash, cost, this.seed, ts);
      const committed = await this.send('commit-entry', async () => {
        try {
          return (await this.o.client.commitEntry(commit)).txid;
        } catch (err) {
          // Our earlier attempt reached factomd even though its answer did not reach us.
          if (isProsperError(err, FactomErrorCode.RepeatedCommit)) return '';
          throw err;
        }
      });
      record.commitTxId = committed.value;
      const revealed = await this.send('reveal-entry', () => this.o.client.revealEntry(bytes));
      record.attempts = committed.attempts + revealed.attempts - 1;
      record.status = 'revealed';
      this.sinceBalance += 1;
      if (this.balance !== undefined) this.balance -= BigInt(cost);
    } catch (err) {
      record.error = err instanceof Error ? `${(err as ProsperError).code ?? err.name}: ${err.message}` : String(err);
      this.o.logger.warn({ jobId: req.jobId, entryHash: record.entryHash, err: record.error }, 'OPR submission failed');
    }
    try {
      await this.o.log.record(record);
    } catch (err) {
      // The store is away (an outage): the entry is on its way all the same; keep the promise of never throwing.
      this.o.logger.error({ jobId: req.jobId, entryHash: record.entryHash, status: record.status, ...logFields(err) }, 'OPR submission not recorded');
    }
    if (record.status === 'revealed' && (this.o.ackAfterMs ?? 2000) > 0) this.confirmLater(record, req.chainId);
    return record;
  }

  private confirmLater(record: SubmissionRecord, chainId: Uint8Array): void {
    const p = (async () => {
      await (this.o.sleep ?? defaultSleep)(this.o.ackAfterMs ?? 2000);
      try {
        const ack = await this.o.client.ack(record.entryHash, Buffer.from(chainId).toString('hex'));
        const status = ack.entryData.status;
        if (status === 'TransactionACK' || status === 'DBlockConfirmed') {
          await this.o.log.record({ ...record, status: 'acknowledged' });
        } else {
          this.o.logger.warn({ entryHash: record.entryHash, status }, 'factomd has not acknowledged an OPR entry');
        }
      } catch (err) {
        this.o.logger.warn({ entryHash: record.entryHash, ...logFields(err) }, 'ack of an OPR entry failed');
      }
    })();
    this.pendingAcks.add(p);
    void p.finally(() => this.pendingAcks.delete(p));
  }

  /** Waits for outstanding ack checks (graceful stop). */
  async drain(): Promise<void> {
    await Promise.all([...this.pendingAcks]);
  }
}
