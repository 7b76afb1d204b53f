/**
 * Shared harness of the browser tests: launches Debian's Chromium through playwright-core
 * (failing loudly, never skipping, when it is missing) and collects a page's console errors.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Where Debian's chromium package puts the browser (`.ci/run` installs it). */
export const CHROMIUM = process.env.WASMLP_CHROMIUM ?? '/usr/bin/chromium';

/** Flags for a headless run in a container without network or a GPU. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

/** Launches Chromium; throws a message saying how to install it when it is absent. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: install it with 'apt-get install -y chromium' (as .ci/run does) or set WASMLP_CHROMIUM to a Chromium binary`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

/**
 * Records console errors and uncaught page errors of a page, so a test can assert there were
 * none (a failing wasm fetch or a worker crash shows up only there).
 */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') errors.push(`console: ${msg.text()}`);
  });
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  return errors;
}
