// Lint: TypeScript rules plus the dependency direction of DESIGN.md §2.
// A package may import only the packages listed for it below; only `tensor` may import
// `@tensorflow/*`; nobody imports another package's `src` directly.
import tseslint from 'typescript-eslint';

/**
 * package → the @pixelrepa packages it may import: DESIGN.md §2's table, plus `io` for `nn` and
 * `jit`. io is the top of the one-way order (tensor imports it), so this breaks no direction: nn
 * converts io's RawTensor to and from tensors (state dicts), jit reads official checkpoints'
 * tensor trees. adapter and align need none of it and may not.
 */
export const allowedImports = {
  io: [],
  tensor: ['io'],
  nn: ['tensor', 'io'],
  jit: ['nn', 'tensor', 'io'],
  adapter: ['nn', 'tensor'],
  align: ['adapter', 'nn', 'tensor'],
  encoders: ['nn', 'tensor', 'io'],
  data: ['tensor', 'io'],
  metrics: ['nn', 'tensor', 'io'],
  train: ['io', 'tensor', 'nn', 'jit', 'adapter', 'align', 'encoders', 'data', 'metrics'],
  cli: ['io', 'tensor', 'nn', 'jit', 'adapter', 'align', 'encoders', 'data', 'metrics', 'train'],
};
const allPackages = Object.keys(allowedImports);

function packageRules(name, allowed) {
  const forbidden = allPackages.filter((other) => other !== name && !allowed.includes(other));
  const patterns = [{ group: ['@pixelrepa/*/src', '@pixelrepa/*/src/**', '**/packages/*/src/**'], message: 'import the package, not its sources' }];
  if (forbidden.length > 0) {
    patterns.push({
      group: forbidden.flatMap((other) => [`@pixelrepa/${other}`, `@pixelrepa/${other}/*`]),
      message: `@pixelrepa/${name} may import only ${allowed.length ? allowed.map((p) => '@pixelrepa/' + p).join(', ') : 'no other package'} (DESIGN.md §2)`,
    });
  }
  if (name !== 'tensor') {
    patterns.push({ group: ['@tensorflow/*'], message: 'only @pixelrepa/tensor imports @tensorflow/*; import from @pixelrepa/tensor' });
  }
  return {
    files: [`packages/${name}/**/*.ts`],
    rules: { 'no-restricted-imports': ['error', { patterns }] },
  };
}

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.turbo/**', 'out/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...Object.entries(allowedImports).map(([name, allowed]) => packageRules(name, allowed)),
  {
    files: ['tools/**/*.ts', 'examples/**/*.ts', 'scripts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['@tensorflow/*'], message: 'import from @pixelrepa/tensor' },
            { group: ['**/packages/*/src/**'], message: 'import the package, not its sources' },
          ],
        },
      ],
    },
  },
);
