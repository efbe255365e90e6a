import { tf } from '@pixelrepa/tensor';
import { tensorStateDict } from '@pixelrepa/nn';
import { readSafetensorsFile } from '@pixelrepa/io/node';
import { SmallViT, smallViTProcedural, type SmallViTConfig } from '../small-vit/small-vit.js';

/**
 * A SmallViT from a safetensors file (strict load), frozen: ready to be an alignment target. Its
 * config comes from the file's `pixelrepa` metadata (`{"model": "SmallViT", "config": {...}}`, as
 * the quickstart writes it) when present, else `config` (the procedural preset by default), and
 * the shapes must fit it. A file that says it holds another model is refused.
 */
export function loadSmallViTFile(path: string, config: SmallViTConfig = smallViTProcedural): SmallViT {
  const file = readSafetensorsFile(path);
  const metadata = file.metadata.pixelrepa ? (JSON.parse(file.metadata.pixelrepa) as { model?: string; config?: SmallViTConfig }) : undefined;
  if (metadata?.model && metadata.model !== 'SmallViT') throw new Error(`${path} holds a ${metadata.model}, not a SmallViT`);
  const chosen = metadata?.config ?? config;
  const encoder = new SmallViT(chosen);
  const state = tensorStateDict(file.tensors);
  try {
    const source = metadata?.config
      ? `the config in its metadata is ${JSON.stringify(chosen)}`
      : `no config in its metadata, so ${JSON.stringify(chosen)} was assumed`;
    encoder.loadStateDict(state, { context: `${path} was not saved from ${encoder.label} (${source})` });
  } catch (error) {
    encoder.dispose();
    throw error;
  } finally {
    tf.dispose([...state.values()]);
  }
  return encoder.freeze();
}
