import { existsSync } from 'node:fs';
import { chromium, Browser } from 'playwright-core';

/** Debian's package (`.ci/run` installs it); CHROMIUM_PATH points elsewhere on a laptop. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/**
 * A headless Chromium for the dashboard tests. A missing browser fails the test, in CI and locally alike: a
 * dashboard test that skipped would be a green run that checked nothing.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    const lead =
      process.env.CI === 'true'
        ? `CI=true and Chromium is missing at ${CHROMIUM_PATH}, so the dashboard tests cannot run.`
        : `Chromium is missing at ${CHROMIUM_PATH} (the dashboard tests never skip).`;
    throw new Error(
      `${lead} Install it with \`apt-get install -y chromium fonts-liberation\` (.ci/run does), ` +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
