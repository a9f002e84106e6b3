import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bundleFunctions } from '../../../local/lambda/bundle-functions';

/**
 * Every local cloud bundles the router's functions; a bundle is built again only when something it
 * was built from changed. A stale bundle would run old code in every drill, so each way the inputs
 * can change must rebuild.
 */
describe('bundleFunctions reuses a bundle only while its inputs are unchanged', () => {
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-bundle-cache-'));
  const source = join(dir, 'src');
  const outDir = join(dir, 'out');
  const entry = join(source, 'handler.ts');
  const greeting = join(source, 'greeting.ts');
  mkdirSync(source);
  const write = (path: string, text: string) => writeFileSync(path, text);
  const bundle = async () => (await bundleFunctions({ hello: entry }, outDir)).hello ?? '';
  const built = (path: string) => ({ text: readFileSync(path, 'utf8'), mtimeMs: statSync(path).mtimeMs });

  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('reuses the bundle untouched when nothing changed, and rebuilds when an imported file or the entry changes', async () => {
    // Prepare
    write(greeting, "export const greeting = 'first';\n");
    write(entry, "import { greeting } from './greeting';\nexport const handler = async () => greeting;\n");
    const first = built(await bundle());
    await new Promise((resolve) => setTimeout(resolve, 20));

    // Act: the same inputs, then an imported file changed, then the entry changed.
    const again = built(await bundle());
    write(greeting, "export const greeting = 'second';\n");
    const afterImport = built(await bundle());
    write(entry, "import { greeting } from './greeting';\nexport const handler = async () => `${greeting}!`;\n");
    const afterEntry = built(await bundle());

    // Assess
    expect(first.text).toContain('"first"');
    expect(again).toEqual(first);
    expect(afterImport.text).toContain('"second"');
    expect(afterImport.text).not.toContain('"first"');
    expect(afterEntry.text).toContain('`${greeting}!`');
  });

  it('rebuilds a bundle that was altered or removed since its manifest was written', async () => {
    // Prepare
    const path = await bundle();
    writeFileSync(path, 'module.exports = {};\n');

    // Act
    const repaired = built(await bundle());
    rmSync(path);
    const restored = built(await bundle());

    // Assess
    expect(repaired.text).toContain('greeting');
    expect(restored.text).toEqual(repaired.text);
  });
});
