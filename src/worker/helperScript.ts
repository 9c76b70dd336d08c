// Where the gradient helper thread's script is, handed to core (trainJob, ModelCache), which never looks for a
// bundle by name: beside this bundle (dist/worker.js sits by dist/gradient-worker.js), or in dist/ when this runs
// from source (tests under tsx, after npm run build). Neither there: chunks run on this thread in turn.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const HELPER_SCRIPT = [path.join(__dirname, 'gradient-worker.js'), path.resolve(__dirname, '../../dist/gradient-worker.js')].find(
  (file) => fs.existsSync(file),
);
