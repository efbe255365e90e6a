import { describe, expect, it } from 'vitest';
import { emaWarning } from './ema-warning.js';

describe('emaWarning', () => {
  it('warns while more than half of the EMA is the starting weights, naming --weights model and the decay flag', () => {
    const warning = emaWarning({ ema: { weights: 'model_ema1', decay: 0.9999, updates: 300 } });
    expect(warning).toContain('model_ema1 (decay 0.9999) has had 300 updates, so 97 % of it');
    expect(warning).toContain('--weights model');
    expect(warning).toContain('--ema_decay1');
    expect(warning).toContain('~6932 steps');
    expect(emaWarning({ ema: { weights: 'model_ema2', decay: 0.9996, updates: 1000 } })).toContain('--ema_decay2');
  });

  it('is quiet once the EMA has moved, for the live weights and for checkpoints that do not say', () => {
    expect(emaWarning({ ema: { weights: 'model_ema1', decay: 0.99, updates: 600 } })).toBeUndefined();
    expect(emaWarning({ ema: { weights: 'model_ema1', decay: 0.9999, updates: 7000 } })).toBeUndefined();
    expect(emaWarning({})).toBeUndefined();
  });
});
