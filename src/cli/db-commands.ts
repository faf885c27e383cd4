import { Command, InvalidArgumentError, Option } from 'commander';
import { accruingFee, formatPeg, parsePeg, recordReceiptFile, schemeSettingsFromConfig, writePayoutFile } from '../accounting/index.js';
import { createAuthService } from '../auth/index.js';
import { isProsperError } from '../errors.js';
import { openConfiguredDatabase, storeOver, type SqlDatabase, type Store } from '../store/index.js';
import { openCreditRoots } from '../verify/index.js';
import { configFromProgram } from './global-options.js';

/** The store, and the database under it when the payout file should name the credit roots it pays. */
type OpenedStore = Store & { db?: SqlDatabase };

export interface DbCommandDeps {
  /** Opens the configured store (tests inject their own). */
  openStore?: (program: Command) => Promise<OpenedStore>;
  out?: (text: string) => void;
  err?: (text: string) => void;
  now?: () => number;
}

async function defaultOpen(program: Command): Promise<OpenedStore> {
  const db = await openConfiguredDatabase(configFromProgram(program).database);
  return { ...(await storeOver(db)), db };
}

const positiveInt = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new InvalidArgumentError('must be an integer in [1, 10000]');
  return n;
};

const pegAmount = (value: string): bigint => {
  let v = 0n;
  try {
    v = parsePeg(value);
  } catch {
    // Refused below, in the words of the option.
  }
  if (v < 1n) throw new InvalidArgumentError('must be a positive PEG amount with at most 8 decimals');
  return v;
};

/** `prosper-pool db ...`: users, invite codes and the payout steps 1 and 3. */
export function registerDbCommands(program: Command, deps: DbCommandDeps = {}): void {
  const out = deps.out ?? ((t: string) => void process.stdout.write(t + '\n'));
  const err = deps.err ?? ((t: string) => void process.stderr.write(t + '\n'));
  const now = deps.now ?? Date.now;
  const open = deps.openStore ?? defaultOpen;

  /** Opens the store, runs the action, closes; coded errors become one line and exit code 1. */
  const withStore = (fn: (store: OpenedStore, ...args: never[]) => Promise<void>) =>
    async (...args: unknown[]): Promise<void> => {
      let store: OpenedStore | undefined;
      try {
        store = await open(program);
        await fn(store, ...(args as never[]));
      } catch (e) {
        if (!isProsperError(e)) throw e;
        err(`error ${e.code}: ${e.message}`);
        process.exitCode = 1;
      } finally {
        await store?.close();
      }
    };

  const db = program.command('db').description('database: users, invite codes and payouts');

  db.command('migrate')
    .description('create or upgrade the schema (also done on every start)')
    .action(withStore(async (store) => out(`schema ready (${store.backend})`)));

  db.command('admin')
    .description('give a registered user the admin role')
    .argument('<email>', "the user's email")
    .action(withStore(async (store, email: string) => {
      const ok = await createAuthService({ store, now }).makeAdmin(email);
      if (!ok) {
        err(`no user ${email}`);
        process.exitCode = 1;
        return;
      }
      out(`${email} is now an admin`);
    }));

  db.command('code')
    .description('create single-use invite codes')
    .addOption(new Option('--count <n>', 'how many codes').argParser(positiveInt).default(1))
    .action(withStore(async (store, opts: { count: number }) => {
      for (const code of await createAuthService({ store, now }).createInviteCodes(opts.count)) out(`New Code: ${code}`);
    }));

  db.command('codes')
    .description('list invite codes and who claimed them')
    .action(withStore(async (store) => {
      for (const c of await store.listInviteCodes()) {
        out(`${c.code}\t${c.createdAt.toISOString()}\t${c.claimedBy ? `claimed by ${c.claimedBy} at ${c.claimedAt?.toISOString()}` : 'unused'}`);
      }
    }));

  db.command('users')
    .description("list users with role, payout address, balances in PEG (earned, paid, pending, owed = earned - paid - pending), own payout threshold and, under scheme pps, accruing")
    .action(withStore(async (store) => {
      const config = configFromProgram(program);
      const fee = accruingFee(schemeSettingsFromConfig(config.pool, config.accounting));
      const balances = new Map((await store.balances(fee)).map((b) => [b.userId, b]));
      // The accruing column only under PPS, where open jobs accrue: the other schemes' columns stay as they were.
      out(`id\temail\trole\tpayout address\tearned\tpaid\tpending\towed\tthreshold${fee === null ? '' : '\taccruing'}`);
      for (const u of await store.listUsers()) {
        const b = balances.get(u.id);
        const peg = [b?.earned, b?.paid, b?.pending, b?.owed].map((x) => formatPeg(x ?? 0n));
        const accruing = fee === null ? [] : [formatPeg(b?.accruing ?? 0n)];
        out([u.id, u.email, u.role, u.payoutAddress || '-', ...peg, b?.minPayout == null ? 'pool' : formatPeg(b.minPayout), ...accruing].join('\t'));
      }
    }));

  db.command('payout')
    .description("step 1: lock every balance that reaches its user's threshold (their own, at least --min) into a pending batch and write it to FILE")
    .argument('<file>', 'payout file to create (must not exist)')
    .addOption(new Option('--min <peg>', 'smallest balance paid, in PEG (default: [accounting] minpayout)').argParser(pegAmount))
    .action(withStore(async (store, file: string, opts: { min?: bigint }) => {
      const db = store.db;
      const paidRoots = db ? async (batchId: string) => (await openCreditRoots(db)).rootsPaidBy(batchId) : undefined;
      const minimum = opts.min ?? parsePeg(configFromProgram(program).accounting.minpayout);
      const written = await writePayoutFile(store, file, { minimum, now, paidRoots });
      if (!written) {
        out("Nothing to pay: no balance reaches its user's threshold (or no payout address is set)");
        return;
      }
      out('Payment data written to file');
      out(`batch ${written.batchId}: ${written.items.length} payees`);
      out(`${formatPeg(written.total)} PEG needed for the TX`);
      if (written.roots) out(`pays the credit roots of ${written.roots.length} jobs`);
    }));

  const reserve = db.command('reserve').description('the PPS reserve: show it, or record a deposit or withdrawal');
  reserve.command('show', { isDefault: true })
    .description('print the reserve and its latest moves, in PEG')
    .action(withStore(async (store) => {
      out(`reserve ${formatPeg(await store.ppsReserve())} PEG`);
      for (const m of await store.reserveMoves(20)) out(`${m.createdAt.toISOString()}\t${formatPeg(m.amount)}\t${m.note}`);
    }));
  for (const [name, sign, what] of [['add', 1n, 'deposit PEG into'], ['take', -1n, 'withdraw PEG from']] as const) {
    reserve.command(name)
      .description(`${what} the PPS reserve (recorded with a note)`)
      .argument('<peg>', 'amount in PEG', pegAmount)
      .option('--note <text>', 'why', name === 'add' ? 'deposit' : 'withdrawal')
      .action(withStore(async (store, amount: bigint, opts: { note: string }) => {
        const after = await store.moveReserve(sign * amount, opts.note, new Date(now()));
        out(`reserve ${formatPeg(after)} PEG`);
      }));
  }

  db.command('record')
    .description('step 3: record a payout receipt from payout-cli as paid (recording twice changes nothing)')
    .argument('<receipt>', 'receipt file written by payout-cli pay')
    .option('--accept-signed', 'record a receipt whose submission was not confirmed (only after finding its entry on chain)', false)
    .action(withStore(async (store, file: string, opts: { acceptSigned: boolean }) => {
      const r = await recordReceiptFile(store, file, now, { acceptSigned: opts.acceptSigned });
      out(r.outcome === 'recorded' ? 'Payment data recorded' : 'This receipt is already recorded; nothing changed');
      out(`batch ${r.batchId}, entry ${r.entryHash}, ${formatPeg(r.total)} PEG`);
    }));

  db.command('cancel')
    .description('release a pending batch that was never sent (its balances become payable again)')
    .argument('<batchId>', 'batch id from the payout file')
    .action(withStore(async (store, id: string) => {
      if (await store.cancelPayoutBatch(id, new Date(now()))) out(`batch ${id} cancelled`);
      else {
        err(`batch ${id} is not pending`);
        process.exitCode = 1;
      }
    }));
}
