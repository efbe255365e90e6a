// sharp is an optional peer dependency of @pixelrepa/data: only this Node entry decodes with it,
// and only when an image is decoded, so the browser entry, packed caches and folder scans work
// without the native module.
import { createRequire } from 'node:module';
import type Sharp from 'sharp';

type SharpModule = typeof Sharp;
type RequireModule = (specifier: string) => unknown;

let loaded: SharpModule | undefined;

/**
 * The `sharp` module, loaded on first use; throws an error that says how to install it when it
 * is missing.
 *
 * ```ts
 * const sharp = loadSharp();
 * const { width } = await sharp(bytes).metadata();
 * ```
 */
export function loadSharp(): SharpModule {
  loaded ??= requireSharp(createRequire(import.meta.url));
  return loaded;
}

/** Loads `sharp` with `requireModule` (Node's require, or a stand-in in tests). */
export function requireSharp(requireModule: RequireModule): SharpModule {
  let module: unknown;
  try {
    module = requireModule('sharp');
  } catch (error) {
    if (isSharpMissing(error)) {
      throw new Error(
        '@pixelrepa/data/node decodes images with "sharp", an optional peer dependency that is not installed: ' +
          'run `npm install sharp` in your project (the browser entry @pixelrepa/data needs no native module)',
        { cause: error },
      );
    }
    const message = (error as Error)?.message ?? String(error);
    throw new Error(`"sharp" is installed but failed to load (${message}); see https://sharp.pixelplumbing.com/install`, { cause: error });
  }
  const sharp = ((module as { default?: unknown }).default ?? module) as SharpModule;
  if (typeof sharp !== 'function') throw new Error('the "sharp" package loaded but does not export the sharp() function: is it sharp ≥ 0.35?');
  return sharp;
}

function isSharpMissing(error: unknown): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return code === 'MODULE_NOT_FOUND' && /['"]sharp['"]/.test(message ?? '');
}
