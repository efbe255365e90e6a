// Dev tool: our WASM GEMM (kernels/gemm.wat) against tfjs-backend-wasm's own products at a training
// step's shapes, in one process, alternating; best of 5 × 3 rounds per side, GFLOP/s including the read-back.
// `npx tsx scripts/bench-gemm.ts [threads]`. "tfjs" is XNNPACK for plain 2-D products, with
// transposes made explicit first (as the wasm BatchMatMul replacement does), and tfjs's scalar
// loop for batched ones.
import { initBackend, setWasmGemmRouting, tf } from '@pixelrepa/tensor';

const threads = Number(process.argv[2] ?? 2);
await initBackend('wasm', { threads });
// [batch, M, K, N, transposeA, transposeB]: JiT-Tiny/4 ×32 layers and their gradients, attention, JiT-B/16 layers.
const shapes: Array<[number, number, number, number, boolean, boolean]> = [
  [1, 2304, 512, 192, false, false],
  [1, 2304, 192, 512, false, false],
  [1, 2304, 192, 192, false, false],
  [1, 192, 2304, 512, true, false],
  [1, 2304, 512, 192, false, true],
  [1, 6912, 64, 64, false, false],
  [96, 72, 64, 72, false, true],
  [96, 72, 72, 64, false, false],
  [1, 256, 768, 3072, false, false],
  [1, 256, 768, 768, false, false],
];
for (const [batch, M, K, N, ta, tb] of shapes) {
  const lead = batch > 1 ? [batch] : [];
  const a = tf.randomNormal([...lead, ...(ta ? [K, M] : [M, K])]);
  const b = tf.randomNormal([...lead, ...(tb ? [N, K] : [K, N])]);
  const best = { ours: Infinity, tfjs: Infinity };
  for (let round = 0; round < 3; round++) {
    for (const ours of [true, false]) {
      setWasmGemmRouting(ours);
      const run = (): void => tf.tidy(() => void tf.matMul(a, b, ta, tb).dataSync());
      run();
      for (let r = 0; r < 5; r++) {
        const t = performance.now();
        run();
        const ms = performance.now() - t;
        if (ours) best.ours = Math.min(best.ours, ms);
        else best.tfjs = Math.min(best.tfjs, ms);
      }
    }
  }
  setWasmGemmRouting(true);
  const gflops = (ms: number): string => ((2 * batch * M * K * N) / ms / 1e6).toFixed(1);
  console.log(
    `${batch}×[${M}×${K}]·[${K}×${N}]${ta ? ' Aᵀ' : ''}${tb ? ' Bᵀ' : ''}  ours ${gflops(best.ours)}  tfjs ${gflops(best.tfjs)} GFLOP/s  ×${(best.tfjs / best.ours).toFixed(2)}`,
  );
  tf.dispose([a, b]);
}
