/**
 * The building blocks of what the Worker accepts (requests, client frames,
 * queue bodies, RPC arguments), in classic zod: only the Worker parses input,
 * so nothing here reaches the browser bundle.
 */
import superjson from "superjson";
import { z } from "zod";

/** A queue message's body: text, which its decoder parses further (one instance, not one per message). */
export const bodyText = z.string();

/**
 * A superjson queue body, parsed by `schema`; throws (a permanent failure) when it is malformed.
 * @example decodeSuperjsonBody(warmMessageSchema, message.body)
 */
export function decodeSuperjsonBody<S extends z.ZodType>(schema: S, body: unknown): z.output<S> {
	return schema.parse(superjson.parse<unknown>(bodyText.parse(body)));
}

/**
 * Whether parsed JSON is a superjson envelope: a body of our own has `type` at its top, superjson
 * wraps the value in `json` (and `meta`, when it has any). For bodies that moved to plain JSON.
 * @example isSuperjsonEnvelope(JSON.parse(superjson.stringify({ type: "x" }))) // true
 */
export function isSuperjsonEnvelope(value: unknown): boolean {
	return typeof value === "object" && value !== null && "json" in value && !("type" in value);
}

/** Client-generated idempotency keys and every other opaque id we accept. */
export const idSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, "must match ^[A-Za-z0-9_-]{1,64}$");

/**
 * 1..2000 characters once trimmed; the trimmed text is what gets stored.
 * A lone UTF-16 surrogate is not a character and has no UTF-8 form: SQLite
 * would store U+FFFD in its place, and the transcript would differ from the
 * text that was accepted and echoed (found by test/fuzz).
 */
export const messageTextSchema = z
	.string()
	.trim()
	.min(1, "must not be empty")
	.max(2000, "must be at most 2000 characters")
	.refine((text) => text.isWellFormed(), "must be well-formed Unicode (no lone surrogates)");
