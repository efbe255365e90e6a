import { describe, expect, it } from 'vitest';
import { initBackend, BackendUnavailableError } from '../index.js';
import { isSoftwareRenderer } from './webgl.js';

// WebGL itself is exercised in headless Chromium by examples/browser's test.
describe('webgl backend', () => {
  it('says it runs only in browsers when asked for in Node', async () => {
    const attempt = initBackend('webgl');
    await expect(attempt).rejects.toBeInstanceOf(BackendUnavailableError);
    await expect(attempt).rejects.toThrow(/webgl runs only in browsers.*use webgpu or wasm/);
  });

  it('is skipped by auto in Node with the reason', async () => {
    const info = await initBackend('auto', { candidates: ['webgl', 'cpu'] });
    expect(info.tried?.[0]).toEqual({ name: 'webgl', ok: false, reason: 'runs only in browsers' });
  });

  it('tells software renderers from GPUs', () => {
    expect(isSoftwareRenderer('ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)')).toBe(true);
    expect(isSoftwareRenderer('llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(isSoftwareRenderer('ANGLE (NVIDIA, NVIDIA GeForce RTX 3080 Direct3D11 vs_5_0 ps_5_0, D3D11)')).toBe(false);
  });
});
