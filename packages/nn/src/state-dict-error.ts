export interface StateDictProblems {
  missing: string[];
  unexpected: string[];
  mismatched: Array<{ name: string; expected: number[]; found: number[] }>;
}

/** A state dict that does not fit the model; `problems` lists every key that is wrong. */
export class StateDictError extends Error {
  override readonly name = 'StateDictError';
  constructor(
    message: string,
    readonly problems: StateDictProblems,
  ) {
    super(message);
  }
}

function listNames(names: string[], limit = 5): string {
  const shown = names.slice(0, limit).join(', ');
  return names.length > limit ? `${shown}, … (${names.length - limit} more)` : shown;
}

export function describeStateDictProblems(model: string, problems: StateDictProblems, context?: string): string {
  const parts: string[] = [];
  if (problems.missing.length) parts.push(`is missing ${problems.missing.length} keys (${listNames(problems.missing)})`);
  if (problems.unexpected.length) parts.push(`has ${problems.unexpected.length} unexpected keys (${listNames(problems.unexpected)})`);
  if (problems.mismatched.length) {
    const shown = problems.mismatched
      .slice(0, 5)
      .map((m) => `${m.name}: checkpoint [${m.found.join(', ')}], model [${m.expected.join(', ')}]`)
      .join('; ');
    parts.push(`has ${problems.mismatched.length} keys of the wrong shape (${shown}${problems.mismatched.length > 5 ? '; …' : ''})`);
  }
  return `state dict does not fit ${model}: it ${parts.join(', and ')}${context ? `. ${context}` : ''}`;
}
