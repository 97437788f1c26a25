// The native `bbcov` CLI the tests compare with: BBCOV_BIN names it ('' skips
// the comparisons), else the newer of the release and debug builds in the
// repository's target/ (the other may be stale); undefined when none is built.
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

export const nativeBbcov = process.env.BBCOV_BIN !== undefined
  ? process.env.BBCOV_BIN || undefined
  : ['target/release/bbcov', 'target/debug/bbcov']
    .map((p) => join(root, p))
    .filter(existsSync)
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs)[0];
