import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ProsperError } from '../errors.js';
import type { WebReply } from './http.js';
import { pageHtml, SITE_PAGES } from './page-layout.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** Scripts and styles only from this origin; the live feed over ws(s) to this origin. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' ws: wss:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** The repo's web-assets/ folder, found from this file (works from src/ and dist/src/). */
export function defaultAssetsDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'web-assets');
    const up = dirname(dir);
    if (up === dir) throw new ProsperError('PROSPER_E_WEB_ASSETS', 'web-assets folder not found');
    dir = up;
  }
}

/** Files of npm packages the pages use, served as /assets/<name>: the chart library (uPlot, MIT). */
const PACKAGE_ASSETS: Record<string, string> = {
  'uplot.js': 'uplot/dist/uPlot.iife.min.js',
  'uplot.css': 'uplot/dist/uPlot.min.css',
};

/**
 * The dashboard's files, read once at start into memory. Only names present then can be
 * served, so no request path ever reaches the file system.
 */
export class StaticAssets {
  private readonly files = new Map<string, { type: string; body: Buffer }>();
  private readonly pages = new Map<string, { type: string; body: Buffer }>();

  constructor(dir: string) {
    if (!existsSync(dir)) throw new ProsperError('PROSPER_E_WEB_ASSETS', `assets folder missing: ${dir}`);
    for (const name of readdirSync(dir)) {
      const type = TYPES[extname(name)];
      if (type) this.files.set(name, { type, body: readFileSync(join(dir, name)) });
    }
    const require = createRequire(import.meta.url);
    for (const [name, file] of Object.entries(PACKAGE_ASSETS)) {
      if (this.files.has(name)) continue;
      // A checkout whose node_modules predates the package (npm install not run yet) still serves
      // the API and pages; only the charts are missing (their asset answers 404).
      let path: string;
      try {
        path = require.resolve(file);
      } catch {
        continue;
      }
      this.files.set(name, { type: TYPES[extname(name)]!, body: readFileSync(path) });
    }
  }

  /** A page of the site (page-layout.ts): its body in the shared frame, built once. */
  page(name: string): WebReply {
    const cached = this.pages.get(name);
    if (cached) return this.send(cached);
    const page = SITE_PAGES[name];
    const main = this.files.get(`${name}.page.html`);
    if (!page || !main) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', 'no such page');
    const built = { type: TYPES['.html']!, body: Buffer.from(pageHtml({ title: page.title, main: main.body.toString('utf8'), script: `${name}.js`, chart: page.chart })) };
    this.pages.set(name, built);
    return this.send(built);
  }

  has(name: string): boolean {
    return this.files.has(name);
  }

  reply(name: string): WebReply {
    const f = this.files.get(name);
    // Page bodies are only served framed, as pages.
    if (!f || name.endsWith('.page.html')) throw new ProsperError('PROSPER_E_WEB_NOT_FOUND', 'no such page');
    return this.send(f);
  }

  private send(f: { type: string; body: Buffer }): WebReply {
    const headers: Record<string, string> = { 'Content-Type': f.type, 'Cache-Control': 'no-cache' };
    if (f.type.startsWith('text/html')) headers['Content-Security-Policy'] = CONTENT_SECURITY_POLICY;
    return { status: 200, headers, body: f.body };
  }
}
