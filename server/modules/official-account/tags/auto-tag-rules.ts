/** The part of a rule matching needs. */
export interface AutoTagRule {
  tagId: number;
  trigger: 'menu_click' | 'keyword';
  match: 'exact' | 'contains';
  value: string;
}

/** What a follower did that rules look at. */
export type FollowerAction = { kind: 'menu_click'; key: string } | { kind: 'text'; content: string };

/**
 * Tags the action earns, each once. Menu keys compare exactly; keywords
 * ignore surrounding spaces and letter case (「产品」 also matches 「 产品 」).
 */
export function tagsEarned(rules: readonly AutoTagRule[], action: FollowerAction): number[] {
  const earned = new Set<number>();
  const content = action.kind === 'text' ? action.content.trim().toLowerCase() : '';
  for (const rule of rules) {
    if (action.kind === 'menu_click') {
      if (rule.trigger === 'menu_click' && rule.value === action.key) earned.add(rule.tagId);
      continue;
    }
    if (rule.trigger !== 'keyword') continue;
    const keyword = rule.value.trim().toLowerCase();
    if (keyword === '') continue;
    if (rule.match === 'exact' ? content === keyword : content.includes(keyword)) earned.add(rule.tagId);
  }
  return [...earned];
}
