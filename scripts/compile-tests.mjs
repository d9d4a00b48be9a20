// Compiles the TypeScript that the tests load (src/, test/, packages/*/src and packages/*/test)
// to JavaScript under .test-build/, one file per file with the same layout, so each test process
// loads plain JavaScript instead of transforming every module through tsx's loader on the way in
// (most of a test file's start-up cost). Type checking stays with `npm run typecheck`.
//
// esbuild is the compiler tsx itself uses, with the same settings (the tsconfig, ESM, this
// Node's syntax). Each file keeps the meaning of its own location: `import.meta.url` and
// `import.meta.dirname` are its source file's, so code that finds files next to itself (assets,
// fixtures, the repository root) finds the real ones. Inline source maps point stack traces at
// the .ts lines. A file is compiled again only when its source is newer than its output.
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, transform } from 'esbuild';

/** Where compiled files go, mirroring the repository's layout. */
export const BUILD_DIR = '.test-build';

function sources(dir) {
  let found = [];
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name === 'dist') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) found = found.concat(sources(path));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) found.push(path);
  }
  return found;
}

/** Compiles every changed source under `roots`; returns the number compiled. */
export async function compileTests(root, roots) {
  const tsconfigRaw = readFileSync(join(root, 'tsconfig.json'), 'utf8');
  const files = roots.flatMap((r) => sources(join(root, r)));
  let compiled = 0;
  await Promise.all(
    files.map(async (file) => {
      const out = join(root, BUILD_DIR, relative(root, file)).replace(/\.ts$/, '.js');
      const sourceTime = statSync(file).mtimeMs;
      try {
        if (statSync(out).mtimeMs >= sourceTime) return;
      } catch {
        // not compiled yet
      }
      const url = pathToFileURL(file).href;
      const result = await transform(readFileSync(file, 'utf8'), {
        loader: 'ts',
        format: 'esm',
        target: `node${process.versions.node}`,
        tsconfigRaw,
        sourcemap: 'inline',
        sourcefile: file,
        define: {
          'import.meta.url': JSON.stringify(url),
          'import.meta.dirname': JSON.stringify(dirname(file)),
          'import.meta.filename': JSON.stringify(file),
        },
      });
      mkdirSync(dirname(out), { recursive: true });
      writeFileSync(out, result.code);
      compiled++;
    }),
  );
  return compiled;
}

/** Where a run's test bundles go (`bundled-<run>`): runs side by side never share or delete one. */
export function bundleDir(run) {
  return join(BUILD_DIR, `bundled-${run}`);
}

/** A bundle directory this old was left by a run that was killed; the next run removes it. */
const STALE_BUNDLE_MS = 6 * 3_600_000;

/**
 * Bundles the compiled test files (`compiled`, paths under BUILD_DIR) with what they import, our
 * code and the libraries, into the run's bundleDir: a test process then loads a few large chunks
 * instead of some 900 modules one by one, which was most of its start-up cost (about 0.6 s of CPU
 * per file here, on two cores shared by four test processes). Each module keeps its own
 * `import.meta.url` (set as a constant by compileTests), so code that finds files next to itself
 * still does. The test tools (devDependencies), libraries that find their own files at run time
 * (`__dirname`: pino's worker) and native code stay outside the bundle and load from node_modules.
 * Linked source maps chain back to the .ts lines. Returns the bundle of each compiled file, in the
 * same order; the caller removes the directory when the run ends.
 */
export async function bundleTests(root, compiled, run) {
  const outdir = join(root, bundleDir(run));
  for (const name of readdirSync(join(root, BUILD_DIR))) {
    const path = join(root, BUILD_DIR, name);
    if (name.startsWith('bundled-') && Date.now() - statSync(path).mtimeMs > STALE_BUNDLE_MS)
      rmSync(path, { recursive: true, force: true });
  }
  await build({
    entryPoints: compiled,
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: `node${process.versions.node}`,
    outdir,
    outbase: join(root, BUILD_DIR),
    external: [
      // Test tools (TypeScript finds its lib files by __filename, and so on): from node_modules.
      ...Object.keys(JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).devDependencies ?? {}),
      'better-sqlite3',
      'pg-native',
      'pino',
      'pino-pretty',
      'thread-stream',
      'ioredis',
      'nodemailer',
      'fsevents',
    ],
    // CommonJS libraries inside an ES module bundle still call require().
    banner: {
      js: "import { createRequire as __bundleRequire } from 'node:module'; const require = __bundleRequire(import.meta.url);",
    },
    sourcemap: 'linked',
    logLevel: 'warning',
  });
  return compiled.map((file) => join(outdir, relative(join(root, BUILD_DIR), file)));
}
