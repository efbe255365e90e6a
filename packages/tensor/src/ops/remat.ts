import * as tf from '@tensorflow/tfjs-core';

/** The part of tfjs-core's engine state a nested tape touches (tfjs-core 4.x `EngineState`). */
interface TapeState {
  activeTape: unknown[] | null;
  gradientDepth: number;
}

/**
 * `f(...inputs)` without keeping its intermediate tensors for the backward pass: only `inputs` are
 * kept, and the backward pass runs `f` again under a tape of its own to differentiate it
 * (activation checkpointing: JAX's `remat`, PyTorch's `torch.utils.checkpoint`). Memory for a
 * chain of such calls is the chain's inputs plus one call's intermediates, at the cost of one more
 * forward pass of `f`.
 *
 * `parameters` are the trainable variables `f` reads (they receive gradients; other tensors `f`
 * closes over are constants). `f` must be deterministic — it runs twice and must compute the same
 * values both times (no dropout). The gradients then equal those of `f` called directly, bit for
 * bit — except for a tensor that feeds several calls and is used more than once inside each: its
 * gradient is summed per call first, so the sum associates differently (float rounding).
 * Outside a gradient tape (sampling) it is just `f(...inputs)`.
 */
export function remat(f: (...inputs: tf.Tensor[]) => tf.Tensor, inputs: tf.Tensor[], parameters: tf.Variable[]): tf.Tensor {
  const nInputs = inputs.length;
  const op = tf.customGrad(((...args: unknown[]) => {
    const save = args.pop() as (tensors: tf.Tensor[]) => void;
    const xs = (args as tf.Tensor[]).slice(0, nInputs);
    save(xs);
    return {
      value: f(...xs),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const wrt = [...saved, ...parameters];
        const grads = nestedGradients(() => f(...saved), wrt, dy);
        return grads.map((g, i) => g ?? tf.zerosLike(wrt[i]));
      },
    };
  }) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (...args: tf.Tensor[]) => tf.Tensor;
  return op(...inputs, ...parameters);
}

/**
 * d(f() · dy)/d xs under a fresh tape, called from inside the backward pass of an enclosing one.
 * tfjs-core's `gradients` starts a new tape and, when done, drops the engine's active tape — the
 * enclosing pass's, whose saved tensors it has yet to free — so that one is put back afterwards.
 */
function nestedGradients(f: () => tf.Tensor, xs: tf.Tensor[], dy: tf.Tensor): Array<tf.Tensor | undefined> {
  const state = (tf.engine() as unknown as { state: TapeState }).state;
  if (state.gradientDepth !== 0) throw new Error('remat: its backward pass ran while a tape was recording (higher-order gradients are not supported)');
  const enclosing = state.activeTape;
  try {
    const { value, grads } = tf.engine().gradients(f, xs, dy as tf.Tensor, true);
    value.dispose();
    return grads;
  } finally {
    state.activeTape = enclosing;
  }
}
