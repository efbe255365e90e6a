// Whether this machine has a GPU at all, without loading a GPU driver. Loading Dawn to ask makes it
// print its own warnings on stderr ("Couldn't load Vulkan: libvulkan.so.1 …", "… artificially
// reduced …"), which a JS program cannot silence: so `auto` does not load it where there is no GPU.
import { isNode, nodeBuiltin } from './environment.js';

/**
 * The GPU device files on Linux: DRM render nodes (`/dev/dri/renderD*`: AMD, Intel, NVIDIA open
 * drivers), NVIDIA's `/dev/nvidia<n>`, WSL's `/dev/dxg`. `undefined` where we cannot tell (other
 * systems, browsers): then the GPU is probed.
 */
export function linuxGpuDevices(): string[] | undefined {
  if (!isNode() || process.platform !== 'linux') return undefined;
  const fs = nodeBuiltin('node:fs');
  const list = (dir: string) => {
    try {
      return fs.readdirSync(dir);
    } catch {
      return [];
    }
  };
  return [
    ...list('/dev/dri')
      .filter((name) => name.startsWith('renderD'))
      .map((name) => `/dev/dri/${name}`),
    ...list('/dev')
      .filter((name) => /^nvidia\d+$/.test(name) || name === 'dxg')
      .map((name) => `/dev/${name}`),
  ];
}
