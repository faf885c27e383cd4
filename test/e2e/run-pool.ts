// Runs prosper-pool from its TypeScript source (the --demo test spawns this as a real process).
import { exitWithError } from '../../src/cli/exit.js';
import { main } from '../../src/cli/prosper-pool.js';

main(['node', 'prosper-pool', ...process.argv.slice(2)]).catch(exitWithError);
