// Patch vectors in (row, col, channel) order; shared with the encoders, so they live in nn.
export { patchify, unpatchify } from '@pixelrepa/nn';
