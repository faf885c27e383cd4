import { ProsperError } from '../errors.js';

/** Longest webhook URL accepted (browsers and proxies commonly stop near 8 KiB). */
export const MAX_WEBHOOK_URL = 2048;

/**
 * Checks one webhook URL, from the config or from a user's account: text without control
 * characters, valid UTF-8 when it arrives as bytes, and an absolute http:// or https:// URL with
 * a host and no credentials (they would be logged with the URL). Returns the normalised URL.
 */
export function parseWebhookUrl(input: string | Uint8Array): string {
  let text: string;
  if (typeof input === 'string') text = input;
  else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(input);
    } catch {
      throw new ProsperError('PROSPER_E_NOTIFY_URL_TEXT', 'the webhook URL is not valid UTF-8');
    }
  }
  // Lone surrogates are what invalid UTF-8 becomes once decoded leniently (a JSON body with \ud800).
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text)) throw new ProsperError('PROSPER_E_NOTIFY_URL_TEXT', 'the webhook URL is not valid UTF-8');
  if (/[\u0000-\u001f\u007f-\u009f]/.test(text)) throw new ProsperError('PROSPER_E_NOTIFY_URL_TEXT', 'the webhook URL has control characters');
  const trimmed = text.trim();
  if (trimmed.length === 0 || trimmed.length > MAX_WEBHOOK_URL) {
    throw new ProsperError('PROSPER_E_NOTIFY_URL', `a webhook URL must have 1 to ${MAX_WEBHOOK_URL} characters`);
  }
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    throw new ProsperError('PROSPER_E_NOTIFY_URL', `"${trimmed}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ProsperError('PROSPER_E_NOTIFY_URL', `webhook URLs are http:// or https://, not ${url.protocol}//`);
  if (url.hostname === '') throw new ProsperError('PROSPER_E_NOTIFY_URL', 'the webhook URL has no host');
  if (url.username !== '' || url.password !== '') throw new ProsperError('PROSPER_E_NOTIFY_URL', 'put no user or password in a webhook URL (it would be logged)');
  return url.href;
}

/** The URL as logs and the admin page show it: no query string (it may hold a token). */
export function displayUrl(href: string): string {
  const url = new URL(href);
  return `${url.origin}${url.pathname}${url.search ? '?…' : ''}`;
}
