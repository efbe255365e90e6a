import { describe, expect, it } from 'vitest';
import { extractCommands } from './doc-commands.js';

describe('extractCommands', () => {
  it('keeps pixelrepa and npm lines of shell blocks, joins continuations, drops comments, reads not-run markers', () => {
    const markdown = [
      'text `pixelrepa inline` is not a command',
      '```bash',
      'npm start      # train',
      'pixelrepa train --steps 5 \\',
      '  --batch_size 2',
      'echo not documented',
      '```',
      '```json',
      '{ "pixelrepa": 1 }',
      '```',
      '<!-- not run: downloads DINOv2 -->',
      '  ```sh',
      '  npx pixelrepa train --encoder dinov2-vitb14',
      '  ```',
    ].join('\n');
    expect(extractCommands(markdown, 'doc.md')).toEqual([
      { where: 'doc.md:3', command: 'npm start' },
      { where: 'doc.md:4', command: 'pixelrepa train --steps 5 --batch_size 2' },
      { where: 'doc.md:13', command: 'npx pixelrepa train --encoder dinov2-vitb14', notRun: 'downloads DINOv2' },
    ]);
  });
});
