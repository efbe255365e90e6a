import { fileURLToPath } from 'node:url';
import { tensorStateDict } from '@pixelrepa/nn';
import { readSafetensorsFile } from '@pixelrepa/io/node';
import { SmallViT, smallViTProcedural } from '@pixelrepa/encoders';
import { tf } from '@pixelrepa/tensor';

/** The committed weights of the small encoder (reproduce with `npm run -w @pixelrepa/example-quickstart train-encoder`). */
export const encoderWeightsPath = fileURLToPath(new URL('../assets/procedural-encoder.safetensors', import.meta.url));

/** The frozen SmallViT trained on the procedural dataset: the quickstart's semantic target. */
export function loadProceduralEncoder(path = encoderWeightsPath): SmallViT {
  const encoder = new SmallViT(smallViTProcedural);
  const state = tensorStateDict(readSafetensorsFile(path).tensors);
  try {
    encoder.loadStateDict(state);
  } finally {
    tf.dispose([...state.values()]);
  }
  return encoder.freeze();
}
