import type { RawTensor } from '@pixelrepa/io';
import { flattenTensors } from '@pixelrepa/io';
import { readSafetensorsFile, readTorchCheckpointFile } from '@pixelrepa/io/node';

/**
 * A checkpoint file as a flat state dict: `.safetensors` (timm, Hugging Face) or a `torch.save`
 * `.pth` (DINOv2's own release; read by a restricted unpickler that never runs code). Half
 * precision is widened to float32.
 */
export function readCheckpointFile(path: string): Map<string, RawTensor> {
  if (/\.(pth|pt|bin)$/i.test(path)) {
    const tree = readTorchCheckpointFile(path, { widenHalf: true });
    // A training checkpoint may nest the weights; DINOv2's release is the state dict itself.
    const root = (tree.model ?? tree.state_dict ?? tree) as unknown;
    return flattenTensors(root);
  }
  return readSafetensorsFile(path, { widenHalf: true }).tensors;
}
