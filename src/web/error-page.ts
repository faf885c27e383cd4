/**
 * Errors for people: a browser that navigates to a page the pool does not have (or may not
 * show) gets a styled HTML page; API clients, scripts and the dashboard's own fetches keep the
 * JSON error of docs/web.md.
 */
import { failureOf, statusText, type WebReply, type WebRequest } from './http.js';
import { pageHtml } from './page-layout.js';
import { CONTENT_SECURITY_POLICY } from './static-assets.js';

/** Paths that are machine interfaces whatever the client accepts. */
const MACHINE_PATHS = /^\/(?:api|metrics|ws|assets)(?:\/|$)/;

/** A page navigation: GET or HEAD of a non-API path by a client that asks for HTML. */
export function wantsHtmlPage(req: Pick<WebRequest, 'method' | 'path' | 'headers'>): boolean {
  if (req.method !== 'GET' && req.method !== 'HEAD') return false;
  if (MACHINE_PATHS.test(req.path)) return false;
  return /(^|,)\s*text\/html\s*(;|,|$)/i.test(req.headers.get('accept') ?? '');
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** Why a browser sees the page, in words for people (the code stays for operators reading logs). */
function explanation(status: number): string {
  if (status === 404) return 'There is no page at this address.';
  if (status === 401) return 'Log in on the account page to see this page.';
  if (status === 403) return 'Your account may not see this page.';
  if (status === 429) return 'Too many requests: wait a moment and try again.';
  return 'The pool could not show this page.';
}

/** The HTML error page for a failed page request, with the status of the JSON error it replaces. */
export function htmlErrorReply(err: unknown, req: Pick<WebRequest, 'path'>, headers?: Record<string, string>): WebReply {
  const { status, code } = failureOf(err);
  const title = `${status} ${statusText(status)}`;
  const body = pageHtml({
    title: `${escapeHtml(title)} - Prosper pool`,
    header: '<h1>Prosper</h1>\n  <nav><a href="/">Dashboard</a></nav>',
    main: `<section class="error-page">
    <h2>${escapeHtml(title)}</h2>
    <p>${escapeHtml(explanation(status))}</p>
    <p><code>${escapeHtml(req.path.slice(0, 200))}</code> <span class="muted">${escapeHtml(code)}</span></p>
    <p><a href="/">Back to the dashboard</a>: pool figures, recent blocks, miners and blocks.</p>
  </section>`,
  });
  return { status, headers: { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': CONTENT_SECURITY_POLICY, ...headers }, body };
}
