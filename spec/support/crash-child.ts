/**
 * The process the checkpoint crash spec kills. It saves checkpoints forever, version
 * after version, each tensor filled with its version number, first over one fixed file
 * (the overwrite case) and then into a rotating directory, printing `begin v` before
 * and `saved v` after each version so the parent knows which versions completed.
 *
 * Usage: tsx spec/support/crash-child.ts <dir> <first version> <elements per tensor>
 */
import { join } from 'node:path';
// only the modules a save needs: the child is restarted a dozen times, so its start-up counts
import { full } from '../../lib/tensor/create.js';
import { key } from '../../lib/tensor/random.js';
import { saveCheckpoint } from '../../lib/io/checkpoint.js';
import { saveRotatingCheckpoint } from '../../lib/io/rotation.js';

const [dir, first, elements] = process.argv.slice(2);
if (dir === undefined || first === undefined || elements === undefined) throw new Error('usage: crash-child <dir> <first version> <elements>');
const n = Number(elements);

for (let v = Number(first); ; v++) {
  const params = { w: full([n], v), layers: [{ u: full([n / 4, 4], v, { dtype: 'float64' }), b: full([3], v, { dtype: 'int32' }) }] };
  const optState = [{ count: v, mu: { w: full([n], v), layers: [{ u: full([n / 4, 4], v, { dtype: 'float64' }), b: null }] } }, {}];
  const contents = { params, optState, meta: { step: v, epoch: 0, key: key(v), optimizer: 'adam', config: { version: v } } };
  process.stdout.write(`begin ${v}\n`);
  await saveCheckpoint(join(dir, 'fixed.safetensors'), contents);
  await saveRotatingCheckpoint(join(dir, 'rotating'), contents, { keep: 3 });
  process.stdout.write(`saved ${v}\n`);
}
