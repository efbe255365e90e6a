import * as tf from '@tensorflow/tfjs-core';

let gradientsRegistered = false;

/**
 * Registers every TF.js gradient. tfjs-core's ESM build registers them itself (browsers,
 * bundlers); its Node build does not, and its ESM `register_all_gradients` cannot be loaded by
 * Node, so there we import `@tensorflow/tfjs`, which shares the deduplicated core.
 */
export async function registerGradients(): Promise<void> {
  if (gradientsRegistered) return;
  if (tf.getGradient('Sum') == null) await import('@tensorflow/tfjs');
  if (tf.getGradient('Sum') == null) {
    throw new Error(
      'TF.js gradients are not registered in this copy of @tensorflow/tfjs-core: @tensorflow/tfjs probably ' +
        `brought its own copy (run \`npm ls @tensorflow/tfjs-core\`; every copy must be ${tf.version_core})`,
    );
  }
  gradientsRegistered = true;
}

/**
 * Makes the registered TF.js backend `name` active, or throws saying why it could not. TF.js
 * swallows a failing backend factory (and PROD mode silences its warning), so the factory is
 * wrapped for the duration of the call to catch the real error.
 */
export async function activate(name: string): Promise<void> {
  if (tf.getBackend() === name) return;
  const entry = (tf.engine().registryFactory as Record<string, { factory: () => unknown } | undefined>)[name];
  if (entry == null) {
    throw new Error(`no TF.js backend named "${name}" is registered (registered: ${tf.engine().backendNames().join(', ') || 'none'})`);
  }
  let failure: unknown;
  const original = entry.factory;
  entry.factory = () => {
    try {
      const made = original();
      if (made instanceof Promise)
        return made.catch((error: unknown) => {
          failure = error;
          throw error;
        });
      return made;
    } catch (error) {
      failure = error;
      throw error;
    }
  };
  let ok: boolean;
  try {
    ok = await tf.setBackend(name);
  } catch (error) {
    failure ??= error;
    ok = false;
  } finally {
    entry.factory = original;
  }
  if (!ok) {
    const why = failure === undefined ? 'its factory failed' : messageOf(failure);
    throw new Error(`TF.js could not initialise the "${name}" backend: ${why}`, { cause: failure });
  }
  await tf.ready();
}

/** Whether TF.js has already created the backend `name` in this process. */
export function isInitialised(name: string): boolean {
  return (tf.engine().registry as Record<string, unknown>)[name] != null;
}

export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (error && typeof error === 'object' && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}
