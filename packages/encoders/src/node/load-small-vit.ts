import { tf } from '@pixelrepa/tensor';
import { tensorStateDict } from '@pixelrepa/nn';
import { readSafetensorsFile } from '@pixelrepa/io/node';
import { SmallViT, smallViTProcedural, type SmallViTConfig } from '../small-vit/small-vit.js';

/** A SmallViT from a safetensors file (strict load), frozen: ready to be an alignment target. */
export function loadSmallViTFile(path: string, config: SmallViTConfig = smallViTProcedural): SmallViT {
  const encoder = new SmallViT(config);
  const state = tensorStateDict(readSafetensorsFile(path).tensors);
  try {
    encoder.loadStateDict(state, { context: `${path} was not saved from ${encoder.label}` });
  } catch (error) {
    encoder.dispose();
    throw error;
  } finally {
    tf.dispose([...state.values()]);
  }
  return encoder.freeze();
}
