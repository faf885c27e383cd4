/**
 * Worker thread entry for workerDifficultyComputer: hashes OPR PoW inputs against the shared
 * LXRHash table it is handed and answers with the targets.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createHasher, targetOfHash } from '../src/lxr/index.js';

interface Request {
  readonly id: number;
  readonly inputs: Uint8Array[];
}

const data = workerData as { bytes: Uint8Array; bits: number; kernel?: string };
const hasher = createHasher({ bits: data.bits, bytes: data.bytes, sha256: '' }, data.kernel);

parentPort!.on('message', (req: Request) => {
  try {
    const targets = hasher.hashMany(req.inputs).map((h) => targetOfHash(h));
    parentPort!.postMessage({ id: req.id, targets });
  } catch (err) {
    parentPort!.postMessage({ id: req.id, error: (err as Error).message });
  }
});
