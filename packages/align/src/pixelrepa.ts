import { tf, type Tensor } from '@pixelrepa/tensor';
import { Module, init, tfRandomSource, type Parameter, type RandomSource } from '@pixelrepa/nn';
import { MaskedTransformerAdapter, maskTokens, mtaConfig, type MTAConfig } from '@pixelrepa/adapter';
import { checkAlignmentShapes, type AlignmentInputs, type AlignmentObjective, type AlignmentResult } from './objective.js';
import { cosineSimilarity, normalize } from './cosine.js';

export interface PixelRepaConfig {
  /** The adapter: a preset name (`MTA-B/16`), a config, or a built adapter. */
  adapter: string | MTAConfig | MaskedTransformerAdapter;
  /** Overrides applied to a preset (e.g. `{ outChannels: 384, numClasses: 10 }`). */
  adapterOverrides?: Partial<MTAConfig>;
  /**
   * The mask token. For JiT pass the model's own `mask_token` (as the reference does, so it learns
   * from this loss); otherwise the objective creates and owns one.
   */
  maskToken?: Parameter;
  /** Fraction of tokens replaced by the mask token (paper: 0.2). */
  maskRatio?: number;
  /** λ (paper: 0.1). */
  weight?: number;
  random?: RandomSource;
}

/**
 * PixelREPA: mask the hidden tokens, run them through the Masked Transformer Adapter (conditioned
 * on t and the dropped labels), and align the result with the encoder's tokens:
 * loss = mean(1 − cos) over tokens and batch. No stop-gradient: the model's tokens learn too.
 * State-dict keys follow the official Denoiser: `masked_transformer_adapter.*`.
 */
export class PixelRepaObjective extends Module implements AlignmentObjective {
  readonly kind = 'pixelrepa';
  readonly weight: number;
  readonly maskRatio: number;
  readonly masked_transformer_adapter: MaskedTransformerAdapter;
  readonly maskToken: Parameter;

  constructor(config: PixelRepaConfig) {
    super();
    this.weight = config.weight ?? 0.1;
    this.maskRatio = config.maskRatio ?? 0.2;
    const adapter =
      config.adapter instanceof MaskedTransformerAdapter
        ? config.adapter
        : new MaskedTransformerAdapter(
            typeof config.adapter === 'string' ? mtaConfig(config.adapter, config.adapterOverrides) : { ...config.adapter, ...config.adapterOverrides },
            { random: config.random },
          );
    this.masked_transformer_adapter = this.addModule('masked_transformer_adapter', adapter);
    this.maskToken = config.maskToken ?? this.addParameter('mask_token', init.normal(config.random ?? tfRandomSource, [1, 1, adapter.config.hiddenSize], 0.02));
  }

  compute(inputs: AlignmentInputs): AlignmentResult {
    const { hiddenSize, outChannels } = this.masked_transformer_adapter.config;
    checkAlignmentShapes(inputs, hiddenSize, outChannels);
    const { tokens, target, t, y } = inputs;
    if (!t || !y) throw new Error('PixelREPA conditions the adapter on t and the (dropped) labels y: pass both');
    const [B, N] = tokens.shape;
    let maskNoise = inputs.maskNoise;
    if (!maskNoise) {
      if (!inputs.random) throw new Error('PixelREPA needs `maskNoise` [B, N] or a `random` source to draw the token mask');
      maskNoise = inputs.random.uniform([B, N]);
    }
    const drawn = maskNoise !== inputs.maskNoise;
    const result = tf.tidy(() => {
      const masked = maskTokens(tokens, this.maskToken.value, maskNoise!, this.maskRatio);
      const adapted = this.masked_transformer_adapter.forward(masked, t, y);
      const cosSim = cosineSimilarity(normalize(adapted), normalize(target));
      return { loss: tf.mean(tf.sub(1, cosSim)), parts: { masked, adapted, cosSim } as Record<string, Tensor> };
    });
    if (drawn) maskNoise.dispose();
    return result;
  }
}
