import { readConfigFile } from '../config/index.js';
import { oracleConfigFromSections, type OracleConfig, type OracleTomlSections } from './config.js';

/**
 * The oracle's sections of prosper-pool.toml, for commands that run before (or without) the
 * engine's full config loader; the file is read by the config loader's one reader. Section and
 * key names are case-insensitive, as in the seed (viper lower-cased them).
 */
export async function loadOracleConfigFile(configPath: string): Promise<OracleConfig | undefined> {
  const doc = readConfigFile(configPath);
  if (!doc) return undefined;
  const sections: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) sections[k.toLowerCase()] = v;
  return oracleConfigFromSections(sections as OracleTomlSections);
}
