import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's chromium, when installed; browser tests skip without it. */
export const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => existsSync(p));

/** A headless chromium for one test file. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'] });
}

/** A new page whose script errors are collected, logged in on the account page as `email`. */
export async function loggedInPage(browser: Browser, base: string, email: string, password: string): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(base + '/account');
  await page.fill('input[name=email]', email);
  await page.fill('input[name=password]', password);
  await page.click('#login-form button');
  await page.locator('#me-email').filter({ hasText: email }).waitFor();
  return { page, errors };
}
