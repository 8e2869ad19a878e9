// electron-builder.yml validated offline against electron-builder's own schema
// (toolchain.md section 5), and the security-relevant settings pinned.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const { validateConfiguration } = require('app-builder-lib/out/util/config/config') as {
  validateConfiguration(config: unknown, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };
const yaml = require('js-yaml') as { load(s: string): Record<string, unknown> };

const config = yaml.load(readFileSync('electron-builder.yml', 'utf8'));

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation', async () => {
    await expect(validateConfiguration(structuredClone(config), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('the validation really rejects a bad key (the check can fail)', async () => {
    await expect(validateConfiguration({ ...structuredClone(config), notAnOption: 1 }, new DebugLogger(false))).rejects.toThrow(/unknown property/);
  });

  it('sets the Electron fuses', () => {
    expect(config.electronFuses).toEqual({
      runAsNode: false,
      enableCookieEncryption: true,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });

  it('packs only the built app into an asar', () => {
    expect(config.asar).toBe(true);
    expect(config.files).toEqual(['out/**/*', '!out/web/**', '!out/cli/**', 'package.json']);
    const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
    expect(pkg.dependencies ?? {}).toEqual({}); // everything is bundled: nothing for node_modules in the archive
    expect(pkg.main).toBe('out/main/index.js');
  });
});
