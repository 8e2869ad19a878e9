// The kernel rules that decisions cite (kernel function and version). Each is
// declared once, at module load, and named by number on the fault path; a
// trace interns a rule's text the first time it cites it (`Kernel.rule`), so
// no fault hashes a string.

export type RuleId = number;

const TEXTS: string[] = [];

export function defineRule(text: string): RuleId {
  TEXTS.push(text);
  return TEXTS.length - 1;
}

export function ruleText(id: RuleId): string {
  return TEXTS[id];
}

export function ruleCount(): number {
  return TEXTS.length;
}
