import type { FixSpec } from '../check/fixSpec';

/**
 * The fixes offered for one finding: the rule's own, then alternatives. A
 * re-issue that keeps the key can also be done with a new key (after a key
 * leak, or to move to a stronger key), as the editor's second choice.
 */
export function fixChoices(fix: FixSpec | undefined): FixSpec[] {
  if (!fix) return [];
  if (fix.kind === 'issue-certificate' && fix.key === 'keep') {
    return [fix, { ...fix, key: 'new', title: fix.title.replace(', same key)', ', new key)') }];
  }
  return [fix];
}
