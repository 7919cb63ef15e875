/** `{{name}}` placeholders in an answer or a quick reply. */
const placeholder = /\{\{\s*([A-Za-z]+)\s*\}\}/g;

export function variablesIn(template: string): string[] {
  return [...new Set([...template.matchAll(placeholder)].map((m) => m[1] as string))];
}

/** The first variable `known` does not list, or null. */
export function unknownVariable(template: string, known: readonly string[]): string | null {
  return variablesIn(template).find((name) => !known.includes(name)) ?? null;
}

/** Fills every `{{name}}` from `values`; a missing value becomes the empty string. */
export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(placeholder, (_whole, name: string) => values[name] ?? '');
}
