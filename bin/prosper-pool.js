#!/usr/bin/env node
import { main } from '../dist/src/cli/prosper-pool.js';
import { exitWithError } from '../dist/src/cli/exit.js';

main().catch(exitWithError);
