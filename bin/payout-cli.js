#!/usr/bin/env node
import { main } from '../dist/src/cli/payout-cli.js';
import { exitWithError } from '../dist/src/cli/exit.js';

main().catch(exitWithError);
