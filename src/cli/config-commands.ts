import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import { exampleConfig, expandPath } from '../config/index.js';

/** `prosper-pool config [FILE]`: writes a commented config holding every key's default. */
export function registerConfigCommands(program: Command): void {
  program
    .command('config')
    .description('write an example config with every key at its default (to FILE, or stdout)')
    .argument('[file]', 'where to write it ("-" or absent: stdout)')
    .option('--force', 'overwrite an existing file')
    .action((file: string | undefined, opts: { force?: boolean }) => {
      const text = exampleConfig();
      if (!file || file === '-') {
        process.stdout.write(text);
        return;
      }
      const path = expandPath(file);
      if (existsSync(path) && !opts.force) {
        program.error(`${path} exists; pass --force to overwrite it`);
      }
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, text);
      process.stdout.write(`wrote ${path}\n`);
    });
}
