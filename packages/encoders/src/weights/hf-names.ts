/**
 * Hugging Face `transformers` DINOv2 names ↔ DINOv2's own (Meta) names, as one declarative table.
 * Meta's names equal timm's except for what `metaToTimm` converts (mask_token, register_tokens,
 * the SwiGLU `w12`/`w3` of ViT-g). Source of the facts: the `dinov2-hf-names` fixture
 * (transformers' `convert_dinov2_to_hf.py` rules); HF splits qkv into query/key/value.
 */

/** `{i}` stands for a block index and `{p}` for `weight` or `bias`, in both names. */
export interface NameRule {
  hf: string;
  meta: string;
  /** The HF tensor is slice `index` of `of` equal slices of the Meta tensor along dim 0. */
  part?: { index: number; of: number };
}

const qkvPart = (name: string, index: number): NameRule => ({
  hf: `encoder.layer.{i}.attention.attention.${name}.{p}`,
  meta: 'blocks.{i}.attn.qkv.{p}',
  part: { index, of: 3 },
});

export const hfNameRules: readonly NameRule[] = [
  { hf: 'embeddings.cls_token', meta: 'cls_token' },
  { hf: 'embeddings.mask_token', meta: 'mask_token' },
  { hf: 'embeddings.register_tokens', meta: 'register_tokens' },
  { hf: 'embeddings.position_embeddings', meta: 'pos_embed' },
  { hf: 'embeddings.patch_embeddings.projection.{p}', meta: 'patch_embed.proj.{p}' },
  { hf: 'encoder.layer.{i}.norm1.{p}', meta: 'blocks.{i}.norm1.{p}' },
  qkvPart('query', 0),
  qkvPart('key', 1),
  qkvPart('value', 2),
  { hf: 'encoder.layer.{i}.attention.output.dense.{p}', meta: 'blocks.{i}.attn.proj.{p}' },
  { hf: 'encoder.layer.{i}.layer_scale1.lambda1', meta: 'blocks.{i}.ls1.gamma' },
  { hf: 'encoder.layer.{i}.norm2.{p}', meta: 'blocks.{i}.norm2.{p}' },
  { hf: 'encoder.layer.{i}.mlp.fc1.{p}', meta: 'blocks.{i}.mlp.fc1.{p}' },
  { hf: 'encoder.layer.{i}.mlp.fc2.{p}', meta: 'blocks.{i}.mlp.fc2.{p}' },
  { hf: 'encoder.layer.{i}.mlp.weights_in.{p}', meta: 'blocks.{i}.mlp.w12.{p}' },
  { hf: 'encoder.layer.{i}.mlp.weights_out.{p}', meta: 'blocks.{i}.mlp.w3.{p}' },
  { hf: 'encoder.layer.{i}.layer_scale2.lambda1', meta: 'blocks.{i}.ls2.gamma' },
  { hf: 'layernorm.{p}', meta: 'norm.{p}' },
];

interface CompiledRule {
  rule: NameRule;
  hf: RegExp;
  meta: RegExp;
}

function compile(template: string): RegExp {
  const escaped = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
  return new RegExp(`^${escaped.replace('{i}', '(?<i>\\d+)').replace('{p}', '(?<p>weight|bias)')}$`);
}

function fill(template: string, groups: Record<string, string> = {}): string {
  return template.replace('{i}', groups.i ?? '').replace('{p}', groups.p ?? '');
}

const compiled: CompiledRule[] = hfNameRules.map((rule) => ({ rule, hf: compile(rule.hf), meta: compile(rule.meta) }));

/** The Meta name (and slice) an HF name maps to, or undefined for a name outside the table. */
export function hfToMetaName(hfName: string): { meta: string; part?: NameRule['part'] } | undefined {
  for (const { rule, hf } of compiled) {
    const match = hf.exec(hfName);
    if (match) return { meta: fill(rule.meta, match.groups), part: rule.part };
  }
  return undefined;
}

/** The HF names (with their slices) a Meta name maps to; empty for a name outside the table. */
export function metaToHfNames(metaName: string): Array<{ hf: string; part?: NameRule['part'] }> {
  const out: Array<{ hf: string; part?: NameRule['part'] }> = [];
  for (const { rule, meta } of compiled) {
    const match = meta.exec(metaName);
    if (match) out.push({ hf: fill(rule.hf, match.groups), part: rule.part });
  }
  return out;
}
