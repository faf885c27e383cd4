// Runs prosper-pool from its TypeScript source (the --demo test spawns this as a real process).
import { main } from '../../src/cli/prosper-pool.js';

main(['node', 'prosper-pool', ...process.argv.slice(2)]).catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
