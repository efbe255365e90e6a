import { Module } from './module.js';

/** Modules named `0`, `1`, … as in PyTorch's `nn.ModuleList` (e.g. `blocks.3.attn`). */
export class ModuleList<M extends Module = Module> extends Module {
  readonly items: M[];
  constructor(items: M[]) {
    super();
    this.items = items;
    items.forEach((item, i) => this.addModule(String(i), item));
  }
}
