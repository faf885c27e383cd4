import { CONFIG_SCHEMA, type KeySpec } from './schema.js';

/** A key's default as TOML writes it (and as the README's configuration tables show it). */
export function tomlValue(spec: KeySpec): string {
  const v = spec.default;
  if (spec.type === 'bool' || spec.type === 'int' || spec.type === 'number') return String(v);
  return JSON.stringify(String(v));
}

/**
 * A commented prosper-pool.toml holding every key at its default: it starts as shipped (the
 * embedded devnet and PGlite) and says which keys an operator must change for mainnet.
 */
export function exampleConfig(): string {
  const lines = [
    '# Prosper pool configuration. Every key is shown at its default.',
    '# As shipped, the pool runs on an embedded simulated Factom network (devnet) and an',
    '# embedded PGlite database. For a real network set [factom] factomdlocation, [database]',
    '# host, and replace [pool] oprcoinbase and esaddress (the defaults are public test keys).',
    '',
  ];
  for (const [section, keys] of Object.entries(CONFIG_SCHEMA)) {
    lines.push(`[${section}]`);
    for (const [key, spec] of Object.entries(keys as Record<string, KeySpec>)) {
      lines.push(`# ${spec.doc}`);
      lines.push(`${key} = ${tomlValue(spec)}`);
    }
    lines.push('');
  }
  lines.push(
    '[oracle]',
    '# API keys of the price datasources that need one, e.g.:',
    '# apilayerkey = "..."',
    '# coinmarketcapkey = "..."',
    '# openexchangerateskey = "..."',
    '# 1forgekey = "..."',
    '',
    '[oracledatasources]',
    '# Priority of each datasource: lower wins, -1 disables. See `prosper-pool datasources`.',
    '# With none enabled the embedded devnet uses simulated prices.',
    '',
    '[oracleassetdatasourcespriority]',
    '# Per-asset order overrides, e.g.: XAU = "Kitco,APILayer"',
    '',
  );
  return lines.join('\n');
}
