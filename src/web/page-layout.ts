/**
 * Every page of the site in one frame: the head (styles, viewport, no favicon request), the
 * header the page's script fills with the navigation, and the page's own body and script.
 * A page `<name>` is web-assets/<name>.page.html (its <main>) with web-assets/<name>.js.
 */

export interface SitePage {
  title: string;
  /** Loads uPlot before the page's script. */
  chart?: boolean;
}

export const SITE_PAGES: Record<string, SitePage> = {
  dashboard: { title: 'Prosper pool', chart: true },
  start: { title: 'Start mining - Prosper pool' },
  blocks: { title: 'Blocks - Prosper pool' },
  block: { title: 'Block - Prosper pool' },
  miners: { title: 'Miners - Prosper pool' },
  miner: { title: 'Miner - Prosper pool', chart: true },
  payments: { title: 'Payments - Prosper pool' },
  network: { title: 'Network - Prosper pool' },
  login: { title: 'Log in - Prosper pool' },
  account: { title: 'Account - Prosper pool', chart: true },
  admin: { title: 'Admin - Prosper pool' },
};

/** The whole HTML document of a page; `title` is plain text already escaped by the caller. */
export function pageHtml(o: { title: string; main: string; script?: string; chart?: boolean; header?: string }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${o.title}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/style.css">
${o.chart ? '<link rel="stylesheet" href="/assets/uplot.css">\n' : ''}</head>
<body>
<header id="site-header">${o.header ?? '<h1><a href="/">Prosper</a></h1>'}</header>
<main>
${o.main.trim()}
</main>
${o.chart ? '<script src="/assets/uplot.js"></script>\n' : ''}${o.script ? `<script type="module" src="/assets/${o.script}"></script>\n` : ''}</body>
</html>
`;
}
