import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

async function lint(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}/${file}` });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

// DESIGN.md §2: imports go one way, and only @pixelrepa/tensor touches TF.js.
describe('lint enforces the dependency direction', () => {
  it('refuses an import against the direction', async () => {
    expect(await lint('packages/nn/src/bad.ts', "import { JiT } from '@pixelrepa/jit';\nexport const x = JiT;\n")).toEqual([
      expect.stringMatching(/@pixelrepa\/nn may import only @pixelrepa\/tensor, @pixelrepa\/io/),
    ]);
    expect(await lint('packages/io/src/bad.ts', "import { tf } from '@pixelrepa/tensor';\nexport const x = tf;\n")).toHaveLength(1);
    expect(await lint('packages/metrics/src/bad.ts', "import { loadEncoder } from '@pixelrepa/encoders';\nexport const x = loadEncoder;\n")).toHaveLength(1);
  });

  it('refuses @tensorflow/* outside packages/tensor, and deep imports of another package', async () => {
    expect(await lint('packages/jit/src/bad.ts', "import * as tf from '@tensorflow/tfjs-core';\nexport const x = tf;\n")).toEqual([
      expect.stringMatching(/only @pixelrepa\/tensor imports @tensorflow/),
    ]);
    expect(await lint('packages/train/src/bad.ts', "import { x } from '@pixelrepa/jit/src/jit';\nexport const y = x;\n")).toEqual([
      expect.stringMatching(/import the package, not its sources/),
    ]);
  });

  it('accepts imports along the direction', async () => {
    expect(
      await lint('packages/train/src/ok.ts', "import { JiT } from '@pixelrepa/jit';\nimport { tf } from '@pixelrepa/tensor';\nexport const x = [JiT, tf];\n"),
    ).toEqual([]);
    expect(await lint('packages/tensor/src/ok.ts', "import * as tf from '@tensorflow/tfjs-core';\nexport const x = tf;\n")).toEqual([]);
  });
});

describe("the lint table is the design's", () => {
  it('lets adapter and align import only what DESIGN §2 lists (no io)', async () => {
    expect(await lint('packages/adapter/src/bad.ts', "import { isRawTensor } from '@pixelrepa/io';\nexport const x = isRawTensor;\n")).toHaveLength(1);
    expect(await lint('packages/align/src/bad.ts', "import { isRawTensor } from '@pixelrepa/io';\nexport const x = isRawTensor;\n")).toHaveLength(1);
  });
});
