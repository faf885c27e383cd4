import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { Command } from 'commander';
import { CONFIG_SCHEMA, exampleConfig, tomlValue, type KeySpec } from '../../src/config/index.js';
import { buildPoolProgram } from '../../src/cli/prosper-pool.js';
import { buildMinerProgram } from '../../src/cli/prosper-miner.js';
import { buildPayoutProgram } from '../../src/cli/payout-cli.js';
import { ERROR_CODES } from '../../src/errors.js';
import { repoRoot } from '../helpers/paths.js';

const readme = readFileSync(join(repoRoot(), 'README.md'), 'utf8');

function commandPaths(cmd: Command, prefix: string): string[] {
  const out: string[] = [];
  for (const sub of cmd.commands) {
    const path = `${prefix} ${sub.name()}`;
    out.push(path, ...commandPaths(sub, path));
  }
  return out;
}

describe('README stays true', () => {
  it('documents every config key under its section', () => {
    const config = readme.slice(readme.indexOf('## Configuration'));
    assert.ok(config.length > 0, 'README has a Configuration section');
    for (const [section, keys] of Object.entries(CONFIG_SCHEMA)) {
      const start = config.indexOf(`### [${section}]`);
      assert.ok(start >= 0, `README documents [${section}]`);
      const end = config.indexOf('### ', start + 4);
      const text = config.slice(start, end < 0 ? undefined : end);
      for (const key of Object.keys(keys)) assert.ok(text.includes(`\`${key}\``), `README documents [${section}] ${key}`);
    }
  });
  it('documents every account and login error code in its security section', () => {
    const start = readme.indexOf('## Security');
    assert.ok(start >= 0, 'README has a Security section');
    const security = readme.slice(start, readme.indexOf('\n## ', start + 4));
    const codes = Object.keys(ERROR_CODES).filter((c) => c.startsWith('PROSPER_E_AUTH_'));
    assert.ok(codes.length >= 10, `found the auth codes in the error registry (${codes.length})`);
    for (const code of codes) assert.ok(security.includes(`\`${code}\``), `README's security section documents ${code}`);
    for (const key of ['loginmaxfailures', 'loginwindow', 'loginhashes', 'loginhashesperip']) assert.ok(security.includes(`\`[web] ${key}\``), `security section names [web] ${key}`);
  });
  it('documents every command of the three programs', () => {
    for (const [program, name] of [[buildPoolProgram(), 'prosper-pool'], [buildMinerProgram(), 'prosper-miner'], [buildPayoutProgram(), 'payout-cli']] as const) {
      for (const path of commandPaths(program, name)) assert.ok(readme.includes(path), `README documents \`${path}\``);
    }
  });
});

describe('README configuration tables', () => {
  it('show every key at its schema default, as `prosper-pool config` writes it', () => {
    const config = readme.slice(readme.indexOf('## Configuration'));
    const example = exampleConfig();
    for (const [section, keys] of Object.entries(CONFIG_SCHEMA)) {
      const start = config.indexOf(`### [${section}]`);
      const end = config.indexOf('### ', start + 4);
      const text = config.slice(start, end < 0 ? undefined : end);
      for (const [key, spec] of Object.entries(keys as Record<string, KeySpec>)) {
        const shown = tomlValue(spec);
        assert.ok(text.includes(`| \`${key}\` | \`${shown}\` |`), `README shows [${section}] ${key} = ${shown}`);
        assert.ok(example.includes(`# ${spec.doc}\n${key} = ${shown}\n`), `prosper-pool config writes [${section}] ${key} with its doc`);
      }
    }
  });
});
