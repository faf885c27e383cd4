#!/usr/bin/env node
import { main } from '../dist/src/cli/prosper-miner.js';
import { exitWithError } from '../dist/src/cli/exit.js';

main().catch(exitWithError);
