/** What we need from a WebGPU adapter (browser `GPUAdapter` or Dawn's). */
export interface AdapterLike {
  info?: { vendor?: string; architecture?: string; device?: string; description?: string; isFallbackAdapter?: boolean };
  isFallbackAdapter?: boolean;
}

/** The adapter in words, e.g. "llvmpipe-llvm-15-0-6-256-bits (OpenGL ES 3.2 Mesa 22.3.6)". */
export function describeAdapter(adapter: AdapterLike): string {
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.device].filter(Boolean).join(' ').replace(/-+$/, '');
  const description = (info.description ?? '').replace(/^OpenGL version /, '');
  if (name && description) return `${name} (${description})`;
  return name || description || 'unknown adapter';
}

/** Whether the adapter renders in software (CPU rasterisers behind WebGPU). */
export function isSoftwareAdapter(adapter: AdapterLike): boolean {
  if (adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter) return true;
  const info = adapter.info ?? {};
  return /llvmpipe|lavapipe|softpipe|swiftshader|software|microsoft basic render/i.test(
    `${info.vendor ?? ''} ${info.architecture ?? ''} ${info.device ?? ''} ${info.description ?? ''}`,
  );
}
