import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = fileURLToPath(import.meta.url);
const cli = here.replace(/test\/accounting\/payout-cli-keys\.test\.(ts|js)$/, 'src/cli/payout-cli.$1');
const nodeArgs = here.endsWith('.ts') ? ['--import', 'tsx'] : [];

/** Runs `payout-cli pay` in a child with `stdin` piped in, as an operator would without a key file. */
function pay(stdin: string) {
  const script = `import(${JSON.stringify(cli)}).then((m) => m.main(['node', 'payout-cli', 'pay', '/nonexistent.json', 'FA2jK2HcLnRdS94dEcU27rF3meoJfpUcZPSinpb7AwQvPRY6RL1Q', 'EC2DKSYyRcNWf7RS963VFYgMExoHRYLHVeCfQ9PGPmNzwrcmgm2r', '/nonexistent-receipt.json', '-s', 'http://127.0.0.1:9/v2']))`;
  return spawnSync(process.execPath, [...nodeArgs, '--input-type=module', '-e', script], { input: stdin, encoding: 'utf8', timeout: 30_000 });
}

test('without --keyfile the secrets are read from stdin (never argv), and checked against the addresses', () => {
  const right = pay('Fs3E9gV6DXsYzf7Fqx1fVBQPQXV695eP3k5XbmHEZVRLkMdD9qCK\nEs2XT3jSxi1xqrDvS5JERM3W3jh1awRHuyoahn3hbQLyfEi1jvbq\n');
  assert.equal(right.status, 1);
  assert.match(right.stderr, /Fs secret of the source address: /);
  // Both lines were read: the Fs matched its FA, and the Es was checked (it is not the EC's key).
  assert.match(right.stderr, /PROSPER_E_ACCOUNTING_KEYS: the Es secret does not belong to the EC address/);
  assert.ok(!right.stderr.includes('Fs3E9gV6'), 'secrets are not echoed');
  const none = pay('');
  assert.equal(none.status, 1);
  assert.match(none.stderr, /PROSPER_E_ACCOUNTING_KEYS: a secret key is malformed/);
});
