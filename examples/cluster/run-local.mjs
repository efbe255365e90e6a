#!/usr/bin/env node
// Runs N copies of one command on this machine, as a Kubernetes Indexed Job runs N pods: copy k
// gets JOB_COMPLETION_INDEX=k and JOB_COMPLETIONS=N, so `--shard auto` picks its part.
//
//   node examples/cluster/run-local.mjs 3 -- npx pixelrepa sample --checkpoint run --shard auto --output_dir samples
//   node examples/cluster/run-local.mjs 3 -- npx pixelrepa eval --images samples/images --shard auto \
//        --save_statistics 'shards/shard-{k}.npz'
//
// `{k}` and `{N}` in the words are replaced too. Output lines are prefixed with [k]. Exits 0 when
// every copy succeeded, else 1 after saying which failed.
import { spawn } from 'node:child_process';

const [countText, separator, command, ...args] = process.argv.slice(2);
const count = Number(countText);
if (!Number.isInteger(count) || count < 1 || separator !== '--' || !command) {
  process.stderr.write(
    'usage: node run-local.mjs <N> -- <command> [args…]   (each copy gets JOB_COMPLETION_INDEX=k, JOB_COMPLETIONS=N; {k} and {N} in args are replaced)\n',
  );
  process.exit(2);
}

/** Copies each complete line of a child's stream to ours, prefixed with its index. */
function prefixed(stream, out, k) {
  let pending = '';
  stream.on('data', (chunk) => {
    pending += chunk.toString();
    const lines = pending.split(/\r?\n|\r/);
    pending = lines.pop();
    for (const line of lines) out.write(`[${k}] ${line}\n`);
  });
  stream.on('end', () => {
    if (pending) out.write(`[${k}] ${pending}\n`);
  });
}

function runCopy(k) {
  const words = args.map((word) => word.replaceAll('{k}', String(k)).replaceAll('{N}', String(count)));
  const child = spawn(command, words, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, JOB_COMPLETION_INDEX: String(k), JOB_COMPLETIONS: String(count) },
  });
  prefixed(child.stdout, process.stdout, k);
  prefixed(child.stderr, process.stderr, k);
  return new Promise((resolve) => {
    child.on('error', (error) => resolve({ k, code: null, reason: error.message }));
    child.on('close', (code, signal) => resolve({ k, code, reason: signal ? `killed by ${signal}` : `exit status ${code}` }));
  });
}

const results = await Promise.all(Array.from({ length: count }, (_, k) => runCopy(k)));
const failed = results.filter(({ code }) => code !== 0);
if (failed.length > 0) {
  process.stderr.write(
    `${failed.length} of ${count} copies failed: ${failed.map(({ k, reason }) => `[${k}] ${reason}`).join(', ')}; rerun them (finished images are kept)\n`,
  );
  process.exit(1);
}
process.stderr.write(`all ${count} copies finished\n`);
