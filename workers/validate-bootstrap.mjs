// Runs the TypeScript worker entry under tsx (tests, tools): Node 20 does not apply the
// parent's --import loader to a worker thread. Built code points piscina at validate.js.
import { register } from 'tsx/esm/api';

register();
const entry = await import('./validate.ts');
export default entry.default;
