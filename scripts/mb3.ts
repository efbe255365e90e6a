import { initBackend, tf } from '@pixelrepa/tensor';
await initBackend('wasm', { threads: 2 });
const time = async (name: string, f: (x: tf.Tensor) => tf.Tensor, shape: number[], n = 10) => {
  let total = 0;
  for (let i = 0; i <= n; i++) {
    const x = tf.randomNormal(shape); await x.data();
    const t = performance.now();
    const r = f(x); await r.data();
    if (i > 0) total += performance.now() - t;
    r.dispose(); x.dispose();
  }
  console.log(name, (total / n).toFixed(2), 'ms');
};
await time('sum0 2304x512 fresh', (x) => tf.sum(x, 0), [2304, 512]);
await time('sum0 32x72x192 [0,1] fresh', (x) => tf.sum(x, [0, 1]), [32, 72, 192]);
await time('sum1 32x72x192 fresh', (x) => tf.sum(x, 1), [32, 72, 192]);
await time('transpose 2304x512 fresh', (x) => tf.transpose(x), [2304, 512]);
await time('mul 2304x512', (x) => tf.mul(x, x), [2304, 512]);
await time('add 2304x512', (x) => tf.add(x, x), [2304, 512]);
await time('add bias 2304x512', (x) => tf.add(x, tf.ones([512])), [2304, 512]);
