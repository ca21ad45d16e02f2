/**
 * The scalars every wire shape is built from (zod/mini, see documented.ts).
 * Each states what the contract guarantees, not just the JSON type: ids are
 * never empty, times are ISO-8601 UTC, counts are whole and never negative.
 * The SDK checks every answer against them, and the e2e tests add only
 * "no unknown fields" on top (test/support/strict.ts).
 */
import * as z from "zod/mini";

/** An opaque id or token the server made. */
export const nonEmpty = z.string().check(z.minLength(1));

/** A number ≥ 0. */
export const nonNegative = z.number().check(z.gte(0));

/** A whole number ≥ 0. */
export const count = z.int().check(z.gte(0));

/** A message's place in its session: 1, 2, 3, … */
export const seq = z.int().check(z.positive());

/** `new Date().toISOString()`: ISO-8601 in UTC with a `Z`. */
export const isoTime = z.iso.datetime();
