// The commands the documentation tells people to type: every `pixelrepa …`, `npx pixelrepa …` and
// `npm …` line of the ```bash / ```sh blocks of a Markdown file, with line continuations joined.
// `<!-- not run: <reason> -->` on the line before a block marks its commands as not runnable here.

export interface DocCommand {
  /** `docs/cli.md:64` or `pixelrepa train --help`. */
  where: string;
  /** The command as written, without its trailing `# comment`. */
  command: string;
  /** Why the document says it is not run here, when it says so. */
  notRun?: string;
}

const shellFence = /^\s*```(bash|sh|shell)\s*$/;
const endFence = /^\s*```\s*$/;
const notRunMarker = /<!--\s*not run:\s*(.+?)\s*-->/;

/** `pixelrepa train --steps 2   # two steps` → `pixelrepa train --steps 2` (a `#` after a space starts a comment). */
export function withoutComment(line: string): string {
  return line.replace(/\s+#.*$/, '').trim();
}

export const isDocumentedCommand = (command: string): boolean => /^(npx )?pixelrepa\b|^npm\b/.test(command);

export function extractCommands(markdown: string, file: string): DocCommand[] {
  const lines = markdown.split('\n');
  const commands: DocCommand[] = [];
  let inBlock = false;
  let notRun: string | undefined;
  let pending = '';
  let pendingLine = 0;
  for (const [index, line] of lines.entries()) {
    if (!inBlock) {
      if (shellFence.test(line)) {
        inBlock = true;
        notRun = index > 0 ? notRunMarker.exec(lines[index - 1])?.[1] : undefined;
      }
      continue;
    }
    if (endFence.test(line)) {
      inBlock = false;
      continue;
    }
    if (!pending) pendingLine = index + 1;
    const text = line.trim();
    if (text.endsWith('\\')) {
      pending += `${text.slice(0, -1).trim()} `;
      continue;
    }
    const command = withoutComment(pending + text);
    pending = '';
    if (isDocumentedCommand(command)) commands.push({ where: `${file}:${pendingLine}`, command, ...(notRun ? { notRun } : {}) });
  }
  return commands;
}
