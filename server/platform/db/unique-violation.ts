/**
 * The unique index a failed insert or update ran into (PostgreSQL and PGlite
 * both report SQLSTATE 23505), or null for any other error. Drizzle wraps the
 * driver's error, so the cause chain is walked.
 */
export function uniqueViolationOf(error: unknown): { constraint: string | null } | null {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const fields = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    if (fields.code === '23505') return { constraint: typeof fields.constraint === 'string' ? fields.constraint : null };
    current = fields.cause;
  }
  return null;
}

export function isUniqueViolation(error: unknown): boolean {
  return uniqueViolationOf(error) !== null;
}
