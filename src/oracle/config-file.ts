import { readFile } from 'node:fs/promises';
import { parse as parseToml } from 'smol-toml';
import { oracleConfigFromSections, type OracleConfig, type OracleTomlSections } from './config.js';
import { expandPath } from '../config/index.js';
import { oracleError, OracleErrorCode } from './errors.js';

/**
 * Reads only the oracle's sections from prosper-pool.toml, for commands that run before (or
 * without) the engine's full config loader. Section and key names are case-insensitive, as in
 * the seed (viper lower-cased them).
 */
export async function loadOracleConfigFile(configPath: string): Promise<OracleConfig | undefined> {
  const path = expandPath(configPath);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw oracleError(OracleErrorCode.Config, `cannot read ${path}: ${(err as Error).message}`, err);
  }
  let doc: Record<string, unknown>;
  try {
    doc = parseToml(text) as Record<string, unknown>;
  } catch (err) {
    throw oracleError(OracleErrorCode.Config, `${path} is not valid TOML: ${(err as Error).message}`, err);
  }
  const sections: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) sections[k.toLowerCase()] = v;
  return oracleConfigFromSections(sections as OracleTomlSections);
}
