// Runs prosper-miner from its TypeScript source (tests spawn this as a real process).
import { exitWithError } from '../../src/cli/exit.js';
import { main } from '../../src/cli/prosper-miner.js';

main(['node', 'prosper-miner', ...process.argv.slice(2)]).catch(exitWithError);
