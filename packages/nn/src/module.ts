import { tf, type Tensor } from '@pixelrepa/tensor';
import { Parameter, type ParameterOptions } from './parameter.js';
import { StateDictError, describeStateDictProblems, type StateDictProblems } from './state-dict-error.js';

export interface LoadStateDictOptions {
  /** Refuse missing, unexpected or mis-shaped keys (PyTorch's `strict`). Default true. */
  strict?: boolean;
  /** Words added to the error (e.g. which preset the model is). */
  context?: string;
}

/**
 * Base class of every model part. Children and parameters are registered by name; names equal
 * the PyTorch attribute names, so `stateDict()` keys equal the reference checkpoint keys.
 */
export abstract class Module {
  private readonly children = new Map<string, Module>();
  private readonly parameters = new Map<string, Parameter>();
  training = false;

  protected addModule<M extends Module>(name: string, module: M): M {
    if (this.children.has(name) || this.parameters.has(name)) throw new Error(`${this.constructor.name} already has a member "${name}"`);
    this.children.set(name, module);
    return module;
  }

  protected addParameter(name: string, initial: Tensor, options?: ParameterOptions): Parameter {
    if (this.children.has(name) || this.parameters.has(name)) throw new Error(`${this.constructor.name} already has a member "${name}"`);
    const parameter = new Parameter(initial, options);
    this.parameters.set(name, parameter);
    return parameter;
  }

  /** Direct children, in registration order. */
  namedChildren(): Array<[string, Module]> {
    return [...this.children];
  }

  /** Every parameter of this module and its descendants, with dotted names, in PyTorch order. */
  namedParameters(prefix = ''): Array<[string, Parameter]> {
    const out: Array<[string, Parameter]> = [];
    for (const [name, parameter] of this.parameters) out.push([prefix + name, parameter]);
    for (const [name, child] of this.children) out.push(...child.namedParameters(`${prefix}${name}.`));
    return out;
  }

  /** The trainable parameters (the optimiser's list). */
  trainableParameters(): Array<[string, Parameter]> {
    return this.namedParameters().filter(([, p]) => p.trainable);
  }

  /** Number of values in all persistent parameters (or only trainable ones). */
  parameterCount({ trainableOnly = false } = {}): number {
    return this.namedParameters()
      .filter(([, p]) => p.persistent && (!trainableOnly || p.trainable))
      .reduce((sum, [, p]) => sum + p.shape.reduce((a, b) => a * b, 1), 0);
  }

  /** Sets training mode (dropout on) for this module and its descendants. */
  train(on = true): this {
    this.training = on;
    for (const [, child] of this.children) child.train(on);
    return this;
  }

  eval(): this {
    return this.train(false);
  }

  /** Makes every parameter non-trainable (a frozen encoder): optimisers and gradients skip them. */
  freeze(): this {
    for (const [, parameter] of this.namedParameters()) {
      parameter.trainable = false;
      parameter.variable.trainable = false;
    }
    return this.eval();
  }

  /**
   * A flat map of fresh tensors in PyTorch layout, keyed by PyTorch names. The caller owns them.
   */
  stateDict(): Map<string, Tensor> {
    const out = new Map<string, Tensor>();
    for (const [name, parameter] of this.namedParameters()) {
      if (parameter.persistent) out.set(name, parameter.layout.toTorch(parameter.value));
    }
    return out;
  }

  /**
   * Copies tensors in PyTorch layout into the parameters. With `strict` (default), any missing,
   * unexpected or mis-shaped key is an error that lists them all; nothing is changed then.
   * The caller keeps ownership of `state`.
   */
  loadStateDict(state: Map<string, Tensor>, options: LoadStateDictOptions = {}): StateDictProblems {
    const strict = options.strict ?? true;
    const own = new Map(this.namedParameters().filter(([, p]) => p.persistent));
    const problems: StateDictProblems = { missing: [], unexpected: [], mismatched: [] };
    for (const [name, parameter] of own) {
      const value = state.get(name);
      if (!value) problems.missing.push(name);
      else {
        const expected = parameter.layout.torchShape(parameter.shape);
        if (!sameShape(expected, value.shape)) problems.mismatched.push({ name, expected, found: value.shape });
      }
    }
    for (const name of state.keys()) if (!own.has(name)) problems.unexpected.push(name);
    const hasProblems = problems.missing.length + problems.unexpected.length + problems.mismatched.length > 0;
    if (strict && hasProblems) {
      throw new StateDictError(describeStateDictProblems(this.constructor.name, problems, options.context), problems);
    }
    for (const [name, parameter] of own) {
      const value = state.get(name);
      if (!value || problems.mismatched.some((m) => m.name === name)) continue;
      const converted = tf.tidy(() => parameter.layout.fromTorch(tf.cast(value, parameter.value.dtype)));
      parameter.assign(converted);
    }
    return problems;
  }

  /** Frees every parameter. The module is unusable afterwards. */
  dispose(): void {
    for (const [, parameter] of this.parameters) parameter.dispose();
    for (const [, child] of this.children) child.dispose();
  }
}

function sameShape(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
