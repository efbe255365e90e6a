import { tf, type Tensor } from '@pixelrepa/tensor';
import type { Parameter } from './parameter.js';

export interface ValueAndGrads {
  /** The scalar returned by `f`. */
  value: Tensor;
  /** d value / d parameter, keyed by the parameter names given. */
  grads: Map<string, Tensor>;
}

/**
 * Runs `f` and differentiates its scalar result with respect to the named parameters (those not
 * used by `f` get zero gradients). Tensors that `f` creates are freed; the caller owns `value`
 * and the gradients.
 */
export function valueAndGrads(f: () => Tensor, parameters: Array<[string, Parameter]>): ValueAndGrads {
  const variables = parameters.map(([, p]) => p.variable);
  const { value, grads } = tf.variableGrads(f as () => tf.Scalar, variables);
  const byVariable = new Map(Object.entries(grads));
  const out = new Map<string, Tensor>();
  for (const [name, parameter] of parameters) {
    const grad = byVariable.get(parameter.variable.name);
    out.set(name, grad ?? tf.zerosLike(parameter.variable));
    byVariable.delete(parameter.variable.name);
  }
  tf.dispose([...byVariable.values()]);
  return { value, grads: out };
}
