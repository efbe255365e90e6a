// A decode worker (worker_threads): receives {id, path, size}, answers {id, width, height, data}
// with the pixels' buffer transferred, or {id, error}. Imports only relative modules and sharp,
// so it runs from the sources (through tsx) and from dist alike.
import { parentPort } from 'node:worker_threads';
import { admCenterCrop } from '../center-crop.js';
import { SampleSkipError } from '../loader/sample-source.js';
import { decodeImageFile } from './decode-image.js';
import type { DecodeReply, DecodeRequest } from './decode-messages.js';
import { loadSharp } from './load-sharp.js';

// One libvips thread per worker: parallelism comes from the workers themselves.
loadSharp().concurrency(1);

parentPort!.on('message', async (request: DecodeRequest) => {
  let reply: DecodeReply;
  let transfer: ArrayBuffer[] = [];
  try {
    // The pool repeats failed decodes alone across all workers (see DecodePool), so no retry here.
    const decoded = await decodeImageFile(request.path, { maxPixels: request.maxPixels, retryAlone: false });
    const image = request.size ? admCenterCrop(decoded, request.size) : decoded;
    reply = { id: request.id, width: image.width, height: image.height, data: image.data };
    transfer = [image.data.buffer as ArrayBuffer];
  } catch (error) {
    const skip = error instanceof SampleSkipError ? error : undefined;
    reply = { id: request.id, error: { reason: skip?.reason ?? 'failed', message: (error as Error)?.message ?? String(error) } };
  }
  parentPort!.postMessage(reply, transfer);
});
