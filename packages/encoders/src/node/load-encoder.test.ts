import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { tf } from '@pixelrepa/tensor';
import { allclose, liveTensors, loadCase, nchwToNhwc, toTensor, toleranceFor, describeEachBackendWithFixtures } from '@pixelrepa/tensor/testing';
import { startHubServer, type HubServer } from '@pixelrepa/io/testing';
import { EncoderWeightsError } from '../weights/fit.js';
import type { DinoV2 } from '../dinov2/dinov2.js';
import { loadEncoder } from './load-encoder.js';

const resampleCase = loadCase('dinov2-resample');
const hfCase = loadCase('dinov2-hf-names');
/** The fixture's tiny DINOv2 (timm.create_model kwargs of the case). */
function tinyEncoder() {
  const { img_size: imgSize, patch_size: patchSize, embed_dim: embedDim, depth, num_heads: numHeads } = resampleCase.json.config.create_model_kwargs_resampled;
  return { imgSize, patchSize, embedDim, depth, numHeads };
}

async function expectFixtureForward(encoder: DinoV2) {
  const x = nchwToNhwc(toTensor(resampleCase.inputs().get('x')!) as tf.Tensor4D);
  const features = encoder.forwardFeatures(x);
  const report = allclose(
    (await features.data()) as Float32Array,
    resampleCase.expected().get('forward_features')!.data as Float32Array,
    toleranceFor(resampleCase.json, 'forward_features'),
  );
  expect(report.ok, report.message).toBe(true);
  tf.dispose([x, features]);
}

describeEachBackendWithFixtures(
  'loadEncoder',
  ['dinov2-resample', 'dinov2-hf-names'],
  () => {
    let hub: HubServer;
    let cacheDir: string;
    const quiet = () => {};

    beforeAll(async () => {
      hub = await startHubServer({
        '/timm/vit_base_patch14_dinov2.lvd142m/resolve/main/model.safetensors': {
          bytes: readFileSync(join(resampleCase.dir, 'weights.safetensors')),
          interruptions: 1,
        },
        '/facebook/dinov2-base/resolve/main/model.safetensors': { bytes: readFileSync(join(hfCase.dir, 'weights_hf.safetensors')) },
      });
      cacheDir = mkdtempSync(join(tmpdir(), 'pixelrepa-encoders-'));
    });
    afterAll(async () => {
      await hub.close();
      rmSync(cacheDir, { recursive: true, force: true });
    });

    it('downloads timm weights into the cache (resuming a dropped transfer) and builds the resampled encoder', async () => {
      const encoder = await loadEncoder('dinov2-vitb14', { ...tinyEncoder(), baseUrl: hub.url, cacheDir, onProgress: quiet, download: { retryDelayMs: 0 } });
      await expectFixtureForward(encoder);
      expect(hub.requests).toHaveLength(2); // the first transfer was dropped half-way
      encoder.dispose();
      // Second time: from the cache, even offline.
      const cached = await loadEncoder('dinov2-vitb14', { ...tinyEncoder(), cacheDir, offline: true });
      await expectFixtureForward(cached);
      cached.dispose();
    });

    it("loads Hugging Face (facebook/dinov2-*) weights with timm's resampling", async () => {
      const encoder = await loadEncoder('dinov2-vitb14', { ...tinyEncoder(), hub: 'hf', baseUrl: hub.url, cacheDir, onProgress: quiet });
      await expectFixtureForward(encoder);
      encoder.dispose();
    });

    it('loads a local file', async () => {
      const encoder = await loadEncoder('dinov2-vitb14', { ...tinyEncoder(), weightsFile: join(resampleCase.dir, 'weights.safetensors') });
      await expectFixtureForward(encoder);
      encoder.dispose();
    });

    it('refuses weights of another size, naming both, before building anything', async () => {
      const before = liveTensors();
      const attempt = loadEncoder('dinov2-vitb14', { imgSize: 224, patchSize: 16, weightsFile: join(resampleCase.dir, 'weights.safetensors') });
      await expect(attempt).rejects.toThrow(EncoderWeightsError);
      await expect(attempt).rejects.toThrow(
        /look like DINOv2 ViT \(embed 64\)\/14 \(embed 64, depth 2\), the encoder is DINOv2 ViT-B\/14 \(embed 768, depth 12\)/,
      );
      expect(liveTensors()).toBe(before);
    });
  },
  ['cpu'],
);
