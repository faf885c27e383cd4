#!/usr/bin/env node
import { main } from '../dist/src/cli/payout-cli.js';

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
