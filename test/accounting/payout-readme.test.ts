// The README's devnet payout example, run as written: db payout -> prosper-pool devnet ->
// payout-cli pay (with the README's key file) -> db record, each a real process of the built
// bins, on the embedded PGlite database of a fresh HOME. The pool's mining (`npm start -- --demo`)
// is stood in for by crediting two users in that database through the pool's own accountant.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDIFF, createAccountant, createShareLedger, parseFeeRate, parseReceipt } from '../../src/accounting/index.js';
import { createAuthService } from '../../src/auth/index.js';
import { KEY_FILE_HELP } from '../../src/cli/payout-cli.js';
import { loadConfig } from '../../src/config/index.js';
import { FactomdClient } from '../../src/factom/index.js';
import { chainsForNetwork } from '../../src/pegnet/index.js';
import { openStore, storeConfigFromDatabaseSection, type Store } from '../../src/store/index.js';
import { runBin, startBin, type BinName } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('#### A payout on the devnet, step by step'));
const block = (lang: string) => {
  const start = section.indexOf('```' + lang + '\n');
  assert.ok(start >= 0, `the README's devnet payout example has a ${lang} block`);
  return section.slice(start + lang.length + 4, section.indexOf('```', start + 3));
};
const PAYEE_A = 'FA1zT4aFpEvcnPqPCigB3fvGu4Q4mTXY22iiuV69DqE1pNhdF2MC';
const PAYEE_B = 'FA3PuRtw2WkgkUyEFgjLbzZFyef9dwD9maLWPrNr4VhfKxDwrK8J';

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

/** The pool's database as `prosper-pool db` opens it with no config file under this HOME. */
function openPoolStore(env: NodeJS.ProcessEnv): Promise<Store> {
  return openStore(storeConfigFromDatabaseSection(loadConfig({ env }).database));
}

/** What the demo's mining leaves behind: two users with payout addresses and a settled job (3 PEG, 10% fee). */
async function creditTwoUsers(env: NodeJS.ProcessEnv): Promise<void> {
  const store = await openPoolStore(env);
  try {
    const now = Date.now;
    const auth = createAuthService({ store, now, scryptCost: { logN: 10, r: 8, p: 1 } });
    const [c1, c2] = await auth.createInviteCodes(2);
    const a = await auth.authorizeMiner({ username: 'a@pool.io', minerId: 'r', password: 'pw', inviteCode: c1, payoutAddress: PAYEE_A });
    const b = await auth.authorizeMiner({ username: 'b@pool.io', minerId: 'r', password: 'pw', inviteCode: c2, payoutAddress: PAYEE_B });
    assert.ok(a.ok && b.ok);
    const ledger = createShareLedger({ store, now, flushIntervalMs: 1 });
    await Promise.all([a, a, b].map((u) => ledger.credit({ jobId: 5, userId: u.userId, miner: 'r', assignedTarget: PDIFF })));
    await createAccountant({ store, ledger, feeRateE8: parseFeeRate('0.1'), now }).settleJob(5, 3n * 100_000_000n);
    await ledger.close();
  } finally {
    await store.close();
  }
}

test('payout-cli pay --help describes the key file', () => {
  const r = runBin('payout-cli', ['pay', '--help']);
  assert.equal(r.status, 0, r.stderr);
  assert.ok(r.stdout.includes(KEY_FILE_HELP.trim()), r.stdout);
  for (const fact of ['Fs...', 'Es...', '# are comments', 'chmod 600', '[pool] oprcoinbase', '[pool] esaddress']) assert.ok(KEY_FILE_HELP.includes(fact), fact);
});

test('the README\'s devnet payout example runs as written', { timeout: 600_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'prosper-payout-readme-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home };
  delete env.LXRBITSIZE;
  const port = await freePort();
  // The example's fixed port becomes a free one so that parallel runs never collide.
  const onPort = (arg: string) => arg.replace('127.0.0.1:8088', `127.0.0.1:${port}`);
  let devnet: ReturnType<typeof startBin> | undefined;
  try {
    writeFileSync(join(home, 'devnet-keys.txt'), block('text'), { mode: 0o600 });
    const lines = block('sh').split('\n').map((l) => l.trim()).filter(Boolean);
    assert.equal(lines[0], 'npm start -- --demo');
    await creditTwoUsers(env);

    const printed: string[] = [];
    for (const line of lines.slice(1)) {
      if (line === 'kill %1') {
        assert.ok(devnet, 'kill %1 stops the devnet started with &');
        const exit = new Promise((r) => devnet!.once('exit', r));
        devnet.kill('SIGINT');
        await exit;
        continue;
      }
      const words = line.split(/\s+/);
      assert.equal(words[0], 'npx', line);
      const bin = words[1] as BinName;
      assert.ok(['prosper-pool', 'payout-cli'].includes(bin), line);
      if (words.at(-1) === '&') {
        devnet = startBin(bin, [...words.slice(2, -1), '--port', String(port)], env, home);
        let out = '';
        await new Promise<void>((resolve, reject) => {
          devnet!.stdout.on('data', (c: Buffer) => {
            out += c.toString();
            if (out.includes('devnet running')) resolve();
          });
          devnet!.stderr.on('data', (c: Buffer) => (out += c.toString()));
          devnet!.once('exit', (code) => reject(new Error(`devnet exited (${code}): ${out}`)));
        });
        continue;
      }
      const r = runBin(bin, words.slice(2).map(onPort), { HOME: home, LXRBITSIZE: undefined }, home);
      assert.equal(r.status, 0, `${line}\n${r.stdout}\n${r.stderr}`);
      printed.push(r.stdout);
      if (bin === 'payout-cli') {
        // While the devnet still runs: the transfer batch is on the PegNet Transactions chain.
        const receipt = parseReceipt(readFileSync(join(home, 'receipt.json'), 'utf8'));
        assert.equal(receipt.status, 'submitted');
        const entry = await new FactomdClient({ url: `http://127.0.0.1:${port}/v2`, retries: 0 }).entry(receipt.entryHash);
        assert.equal(entry.chainId, chainsForNetwork('MainNet').transactions);
        const content = JSON.parse(Buffer.from(entry.content).toString('utf8'));
        assert.deepEqual(content.transactions[0].transfers, [{ address: PAYEE_A, amount: 180_000_000 }, { address: PAYEE_B, amount: 90_000_000 }]);
        assert.equal(content.transactions[0].input.address, 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q');
      }
    }

    assert.deepEqual(printed.map((o) => o.split('\n')[0]), ['Payment data written to file', 'Payment submitted to the network', 'Payment data recorded']);

    // db record ran last: the batch is paid and nothing is owed any more.
    const store = await openPoolStore(env);
    try {
      const bal = new Map((await store.balances()).map((x) => [x.email, x]));
      assert.deepEqual([bal.get('a@pool.io')?.paid, bal.get('a@pool.io')?.pending], [180_000_000n, 0n]);
      assert.deepEqual([bal.get('b@pool.io')?.paid, bal.get('b@pool.io')?.pending], [90_000_000n, 0n]);
    } finally {
      await store.close();
    }
  } finally {
    if (devnet && devnet.exitCode === null) devnet.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
});
