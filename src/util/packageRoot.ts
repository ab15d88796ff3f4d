// The package's own folder (package.json, console/, dist/), found from a module's URL by walking up
// to the nearest package.json. A fixed number of `..` does not work: the built package is bundled
// into entry files and shared chunks (scripts/build.mjs), so a module's depth below the package
// differs between the sources (src/service/routes/) and the build (dist/chunks/).
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The nearest folder at or above `moduleUrl`'s that holds a package.json. */
export function packageRoot(moduleUrl: string): string {
  let dir = dirname(fileURLToPath(moduleUrl));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`wal-telemetry: no package.json above ${moduleUrl}`);
    dir = parent;
  }
  return dir;
}
