import { Linear, assignWeightMatrix } from './linear.js';
import { init, type RandomSource } from './init.js';
import type { Module } from './module.js';

export interface AdaLNInitRules {
  /**
   * Modules drawn from N(0, 0.02) after the xavier pass, in this order (a Linear's matrix in
   * PyTorch's [out, in] order; another module's `weight` in its own shape): the label table and
   * the timestep MLP's two Linears.
   */
  normal: readonly string[];
  /** Modules whose parameters start at zero (adaLN modulations, output layers); `*` matches a block index. */
  zero: readonly string[];
}

/**
 * The reference's `initialize_weights` for adaLN transformers (JiT and the MTA), addressed by
 * PyTorch module names: every Linear xavier-uniform with a zero bias (in module order), then the
 * `normal` modules N(0, 0.02), then the `zero` modules zeroed, so a fresh model's blocks are the
 * identity. The draws come in that order: the same seed gives the same weights.
 *
 * @example
 * initializeAdaLN(model, random, {
 *   normal: ['y_embedder.embedding_table', 't_embedder.mlp.0', 't_embedder.mlp.2'],
 *   zero: ['blocks.*.adaLN_modulation.1', 'final_layer.adaLN_modulation.1', 'final_layer.linear'],
 * });
 */
export function initializeAdaLN(model: Module, random: RandomSource, { normal, zero }: AdaLNInitRules): void {
  const modules = namedModules(model);
  for (const [, module] of modules) {
    if (!(module instanceof Linear)) continue;
    assignWeightMatrix(module, init.xavierUniform(random, [module.outFeatures, module.inFeatures]));
    module.bias?.assign(init.zeros([module.outFeatures]));
  }
  const byName = new Map(modules);
  for (const name of normal) {
    const module = byName.get(name);
    if (!module) throw new Error(`initializeAdaLN: ${model.constructor.name} has no module "${name}"`);
    if (module instanceof Linear) {
      assignWeightMatrix(module, init.normal(random, [module.outFeatures, module.inFeatures], 0.02));
    } else {
      const weight = module.namedParameters().find(([key]) => key === 'weight')?.[1];
      if (!weight) throw new Error(`initializeAdaLN: "${name}" has no weight to draw`);
      weight.assign(init.normal(random, weight.shape, 0.02));
    }
  }
  for (const pattern of zero) {
    const match = new RegExp(
      `^${pattern
        .split('.')
        .map((part) => (part === '*' ? '\\d+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
        .join('\\.')}$`,
    );
    const found = modules.filter(([name]) => match.test(name));
    if (found.length === 0) throw new Error(`initializeAdaLN: ${model.constructor.name} has no module matching "${pattern}"`);
    for (const [, module] of found) for (const [, parameter] of module.namedParameters()) parameter.assign(init.zeros(parameter.shape));
  }
}

/** Every module under `root` with its dotted PyTorch name, parents before children. */
export function namedModules(root: Module, prefix = ''): Array<[string, Module]> {
  const out: Array<[string, Module]> = [[prefix.replace(/\.$/, ''), root]];
  for (const [name, child] of root.namedChildren()) out.push(...namedModules(child, `${prefix}${name}.`));
  return out;
}
