// Debian's chromium driven by playwright-core, never a downloaded browser.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A fresh persistent profile; resolves with { context, newPage(), close() }. */
export async function launchBrowser({ viewport = { width: 1280, height: 800 } } = {}) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferrode-chromium-'));
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: CHROMIUM,
    headless: true,
    args: FLAGS,
    viewport,
  });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      page.consoleLines = [];
      page.on('console', (msg) => page.consoleLines.push(`${msg.type()}: ${msg.text()}`));
      page.on('pageerror', (err) => page.consoleLines.push(`pageerror: ${err.stack || err}`));
      return page;
    },
    async close() {
      await context.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
