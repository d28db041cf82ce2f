/**
 * The answer of one verification primitive: not a boolean but reasons a user
 * can read. On success `reasons` says what was found ("valid until ..."), on
 * failure what is wrong.
 */
export interface Verdict {
  ok: boolean;
  reasons: string[];
}

export function pass(...reasons: string[]): Verdict {
  return { ok: true, reasons };
}

export function fail(...reasons: string[]): Verdict {
  return { ok: false, reasons };
}

/** All must hold; reasons of the failures (or of every pass when all hold). */
export function all(...verdicts: Verdict[]): Verdict {
  const failed = verdicts.filter((v) => !v.ok);
  return failed.length > 0 ? fail(...failed.flatMap((v) => v.reasons)) : pass(...verdicts.flatMap((v) => v.reasons));
}
