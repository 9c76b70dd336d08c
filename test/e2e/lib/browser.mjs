// Debian chromium driven by playwright-core, and the workbench URL that loads the extension under test.
import { existsSync } from 'node:fs';
import { chromium } from 'playwright-core';

export function findChromium() {
  const candidates = [process.env.TEXTCAT_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
  const found = candidates.find((p) => existsSync(p));
  if (!found) {
    throw new Error(`Chromium not found (tried ${candidates.join(', ')}); apt-get install -y chromium, or set TEXTCAT_CHROMIUM`);
  }
  return found;
}

export async function launchBrowser({ executablePath, profileDir, env }) {
  return chromium.launchPersistentContext(profileDir, {
    executablePath,
    headless: true,
    env,
    // run.mjs handles signals itself: it must stop code-server too, not only exit once the browser is closed.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
      '--enable-unsafe-swiftshader',
    ],
  });
}

/**
 * The workbench URL for a folder, with a payload that loads the extension from the repository
 * (extensionDevelopmentPath, when given; otherwise the installed extensions run) and, when given, runs a mocha
 * entry in the extension host.
 */
export function workbenchUrl({ url, port, folder, extensionPath, testsPath }) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [['skipWelcome', 'true']];
  if (extensionPath) payload.push(['extensionDevelopmentPath', remote(extensionPath)]);
  if (testsPath) payload.push(['extensionTestsPath', remote(testsPath)]);
  return `${url}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
}
