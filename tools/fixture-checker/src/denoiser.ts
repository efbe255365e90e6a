import { JiT, jitConfigFromReference, type FlowMatchingConfig } from '@pixelrepa/jit';
import { MaskedTransformerAdapter, mtaConfigFromReference } from '@pixelrepa/adapter';
import { PixelRepaObjective } from '@pixelrepa/align';
import type { FixtureCase } from '@pixelrepa/tensor/testing';
import { disposeAll, weights } from './tensors.js';

/**
 * The reference Denoiser of a loss or training case: JiT (`net.*`), the adapter
 * (`masked_transformer_adapter.*`) and the PixelREPA objective masking with JiT's mask token,
 * with the case's weights loaded and its flow-matching settings.
 */
export function loadDenoiser(fixture: FixtureCase): { jit: JiT; adapter: MaskedTransformerAdapter; objective: PixelRepaObjective; flow: FlowMatchingConfig } {
  const config = fixture.json.config;
  const d = config.denoiser;
  const jit = new JiT(jitConfigFromReference(config.jit.constructor));
  const adapter = new MaskedTransformerAdapter(mtaConfigFromReference(config.mta.constructor));
  const objective = new PixelRepaObjective({ adapter, maskToken: jit.mask_token, maskRatio: d.patch_mask_ratio, weight: config.loss_total_weight_mta ?? 0.1 });
  const state = weights(fixture);
  const pick = (prefix: string) => new Map([...state].filter(([k]) => k.startsWith(prefix)).map(([k, v]) => [k.slice(prefix.length), v]));
  jit.loadStateDict(pick('net.'));
  adapter.loadStateDict(pick('masked_transformer_adapter.'));
  disposeAll(state);
  const flow = {
    pMean: d.P_mean,
    pStd: d.P_std,
    tEps: d.t_eps,
    noiseScale: d.noise_scale,
    labelDropProb: d.label_drop_prob,
    numClasses: config.jit.constructor.num_classes,
  };
  return { jit, adapter, objective, flow };
}
