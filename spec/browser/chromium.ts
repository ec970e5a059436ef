/**
 * Finds the Chromium the browser test drives: `CHROMIUM_PATH` when set, else the first
 * of `chromium`, `chromium-browser`, `google-chrome`, `google-chrome-stable` on PATH.
 * playwright-core downloads no browser, so a missing one is an error that says how to
 * install it.
 */
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const NAMES = ['chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'] as const;

/** The install hint every failure ends with. */
export const INSTALL_HINT = 'install it (Debian or Ubuntu, as root: apt-get update && apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome executable';

const executable = (path: string): boolean => {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
};

/** The path of a Chromium executable, or an error naming what was tried and how to install one. */
export const findChromium = (env: NodeJS.ProcessEnv = process.env): string => {
  const chosen = env['CHROMIUM_PATH'];
  if (chosen !== undefined && chosen !== '') {
    if (!executable(chosen)) throw new Error(`CHROMIUM_PATH is ${chosen}, which is not an executable file: ${INSTALL_HINT}`);
    return chosen;
  }
  const dirs = (env['PATH'] ?? '').split(delimiter).filter((d) => d !== '');
  for (const name of NAMES) {
    const found = dirs.map((d) => join(d, name)).find(executable);
    if (found !== undefined) return found;
  }
  throw new Error(`no Chromium found (looked for ${NAMES.join(', ')} on PATH; CHROMIUM_PATH is not set): ${INSTALL_HINT}`);
};
