/**
 * The browser test's search for Chromium, without a browser (this runs in `npm test`):
 * a missing browser is an error naming the install command, and the search follows
 * CHROMIUM_PATH, then PATH.
 */
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { findChromium } from './chromium.js';

const dir = mkdtempSync(join(tmpdir(), 'seqgrad-chromium-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, mode: number): string => {
  const path = join(dir, name);
  writeFileSync(path, '#!/bin/sh\n');
  chmodSync(path, mode);
  return path;
};

describe('findChromium', () => {
  it('names the install command when no browser is found', () => {
    expect(() => findChromium({ PATH: dir })).toThrow(/no Chromium found \(looked for chromium, chromium-browser, google-chrome.*apt-get update && apt-get install -y chromium/);
  });

  it('takes CHROMIUM_PATH first, and refuses one that is not executable', () => {
    const chosen = file('my-chrome', 0o755);
    const onPath = file('chromium', 0o755);
    expect(findChromium({ CHROMIUM_PATH: chosen, PATH: dir })).toBe(chosen);
    expect(findChromium({ PATH: ['/nonexistent', dir].join(delimiter) })).toBe(onPath);
    const plain = file('not-executable', 0o644);
    expect(() => findChromium({ CHROMIUM_PATH: plain, PATH: dir })).toThrow(`CHROMIUM_PATH is ${plain}, which is not an executable file`);
  });
});
