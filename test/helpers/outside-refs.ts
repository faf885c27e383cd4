import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';

/** A place in a tracked file that points outside the repository. */
export interface OutsideRef { file: string; line: number; text: string; why: string }

// Absolute paths that only exist on some machine: this workspace, users' homes, Windows drives.
// Built from pieces so that this file does not match itself.
const MACHINE_PATHS = new RegExp(['/w' + 'ork/', '/ho' + 'me/(?!node\\b)[a-z_][\\w.-]*/', '/Us' + 'ers/[A-Za-z]', '/ro' + 'ot/', '[A-Za-z]:\\\\(?:Users|work)'].join('|'));
// A run of ../ and the path after it, up to the first character a path in prose or code stops at.
const PARENT_PATH = /(?<![\w./-])((?:\.\.\/)+[\w.\-/]*)/g;

// Folders tsc compiles into dist/: their code also runs from there, so a ../ path may count from either.
const COMPILED_DIRS = ['src/', 'test/', 'workers/', 'perf/'];
// Lines marked so hold hostile input that only looks like a path (e.g. a traversal attempt sent to the API).
const PROBE_MARK = 'traversal probe';

function inside(root: string, target: string): boolean {
  const rel = relative(root, target);
  return !rel.startsWith('..') && !isAbsolute(rel);
}

function existsInRepo(path: string): boolean {
  return [path, path + '.ts', path.replace(/\.js$/, '.ts'), path.replace(/\.js$/, '.mjs')].some((c) => existsSync(c));
}

/** Where a ../ path written in `file` may point: from the file's folder, and from its compiled copy's. */
function targets(root: string, file: string, path: string): string[] {
  const dirs = [dirname(file)];
  if (COMPILED_DIRS.some((d) => file.startsWith(d))) dirs.push(join('dist', dirname(file)));
  return dirs.map((d) => resolve(root, d, path)).map((t) => {
    // Built output mirrors the sources.
    const rel = relative(root, t);
    return rel.startsWith('dist/') && !existsSync(t) ? join(root, rel.slice(5)) : t;
  });
}

/**
 * The references in one file's text to anything outside `root`: machine-specific absolute
 * paths, and ../ paths that leave the repository from the file's folder or name nothing in it
 * (a path written as if from the repository root in a file deeper down).
 */
export function outsideRefs(root: string, file: string, text: string): OutsideRef[] {
  const found: OutsideRef[] = [];
  text.split('\n').forEach((lineText, i) => {
    const at = { file, line: i + 1, text: lineText.trim().slice(0, 160) };
    const machine = MACHINE_PATHS.exec(lineText);
    if (machine) found.push({ ...at, why: `machine-specific path ${machine[0]}` });
    if (lineText.includes(PROBE_MARK)) return;
    for (const m of lineText.matchAll(PARENT_PATH)) {
      const path = m[1]!.replace(/\.$/, '');
      const within = targets(root, file, path).filter((t) => inside(root, t));
      if (within.length === 0) found.push({ ...at, why: `${path} leaves the repository` });
      else if (!within.some(existsInRepo)) found.push({ ...at, why: `${path} names nothing in the repository` });
    }
  });
  return found;
}
