import { z } from 'zod';

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * The string type of every request field: bounded, no NUL, no unpaired
 * surrogate. Such characters pass JSON parsing but break PostgreSQL text
 * columns and WeChat's byte counting, so they are refused at the boundary.
 */
export function text(maxLength: number, minLength = 0) {
  return z
    .string()
    .min(minLength)
    .max(maxLength)
    .refine((s) => !s.includes('\u0000'), { message: 'must not contain NUL characters' })
    .refine((s) => !loneSurrogate.test(s), { message: 'must not contain unpaired surrogates' });
}

/** A non-empty text after trimming. */
export function requiredText(maxLength: number) {
  return text(maxLength).transform((s) => s.trim()).pipe(z.string().min(1, 'must not be empty'));
}
