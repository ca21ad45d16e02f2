/**
 * What one socket fuzz case is (a client frame for one of the pool's
 * sockets), the generators that make them, and the oracle: what CONTRACT §4
 * says the server must do with a frame, written independently of the
 * server's own schema.
 */
import fc from "fast-check";
import { z } from "zod";
import { MAX_CLIENT_FRAME_BYTES, PING_TEXT } from "../../src/shared/schemas/frames";
import dictionary from "./dictionary.json";
import { anyCodeUnit, messageText, parseJson, validId } from "./support";

export type Frame = { kind: "text"; text: string } | { kind: "binary"; bytes: Uint8Array };

export interface FrameCase {
	socket: number;
	frame: Frame;
}

const text = (arbitrary: fc.Arbitrary<string>): fc.Arbitrary<Frame> => arbitrary.map((t) => ({ kind: "text", text: t }));
const json = (arbitrary: fc.Arbitrary<unknown>): fc.Arbitrary<Frame> =>
	fc
		.tuple(arbitrary, fc.constantFrom(undefined, 2, "\t"))
		.map(([value, indent]) => ({ kind: "text", text: JSON.stringify(value, null, indent) ?? "null" }));

const sendFrame = fc.record({ type: fc.constant("send"), id: validId, text: messageText }, { requiredKeys: ["type", "text"] });

/** Builds an object with these entries as own fields ("__proto__" included, as JSON.parse would). */
const objectOf = (entries: [string, unknown][]) => Object.fromEntries(entries);

const badId = fc.oneof(
	fc.constantFrom("", "a b", "x".repeat(65), "é", "id/1", "../x", "\u0000", "msg_", "-".repeat(64)),
	fc.string({ unit: anyCodeUnit, maxLength: 70 }),
	fc.jsonValue(),
);
const badText = fc.oneof(
	fc.constantFrom("", " ", "\n\t", "\u00a0\u3000", "x".repeat(2001), ` ${"x".repeat(2000)} `, "\ud800", "a\udc00"),
	fc.jsonValue(),
);
const nearSend: fc.Arbitrary<Frame> = fc.oneof(
	json(fc.tuple(sendFrame, badId).map(([frame, id]) => ({ ...frame, id }))),
	json(fc.tuple(sendFrame, badText).map(([frame, t]) => ({ ...frame, text: t }))),
	json(
		fc
			.tuple(
				sendFrame,
				fc.oneof(fc.constantFrom("__proto__", "constructor", "seq", "role", "Type", "ID", "extra"), fc.string()),
				fc.jsonValue(),
			)
			.map(([frame, key, value]) => objectOf([...Object.entries(frame), [key, value]])),
	),
	json(sendFrame.map(({ text: _text, ...rest }) => rest)),
	json(
		fc
			.tuple(sendFrame, fc.oneof(fc.constantFrom("Send", "SEND", "send ", "", "sendx", "ping", "message"), fc.jsonValue()))
			.map(([frame, type]) => ({ ...frame, type })),
	),
	json(sendFrame.map(({ type: _type, ...rest }) => rest)),
	json(sendFrame.map((frame) => [frame])),
);

const pingVariant: fc.Arbitrary<Frame> = text(fc.constantFrom(PING_TEXT, ...dictionary.pingVariants));

const randomJson: fc.Arbitrary<Frame> = fc.oneof(json(fc.jsonValue({ maxDepth: 5 })), json(fc.object({ maxDepth: 3 })));

const nonJson: fc.Arbitrary<Frame> = fc.oneof(
	text(fc.string({ unit: anyCodeUnit, maxLength: 200 })),
	text(fc.string({ unit: fc.constantFrom(...'{}[]":,0123456789abcdeflnrstu\\ \n-.+eE'), maxLength: 60 })),
	text(sendFrame.map((frame) => JSON.stringify(frame)).chain((t) => fc.nat(t.length).map((n) => t.slice(0, n)))),
	text(fc.constantFrom("", " ", "null", "undefined", "NaN", "{'type':'send','text':'hi'}", '{"type":"send","text":"hi",}')),
);

const binary: fc.Arbitrary<Frame> = fc.oneof(
	fc.uint8Array({ maxLength: 2048 }).map((bytes): Frame => ({ kind: "binary", bytes })),
	// A valid frame, but binary: frames are JSON *text* (CONTRACT §4).
	sendFrame.map((frame): Frame => ({ kind: "binary", bytes: new TextEncoder().encode(JSON.stringify(frame)) })),
);

/** Large frames, kept under the 16 KiB close limit by construction (ASCII, so characters are bytes). */
const OVERHEAD = 64;
const big: fc.Arbitrary<Frame> = fc.oneof(
	json(fc.integer({ min: 2001, max: MAX_CLIENT_FRAME_BYTES - OVERHEAD }).map((n) => ({ type: "send", text: "x".repeat(n) }))),
	json(fc.integer({ min: 1000, max: MAX_CLIENT_FRAME_BYTES - OVERHEAD }).map((n) => ({ type: "send", text: "hi", pad: "p".repeat(n) }))),
	text(fc.integer({ min: 1000, max: MAX_CLIENT_FRAME_BYTES - OVERHEAD }).map((n) => "z".repeat(n))),
);

/** Answers to confirmations (CONTRACT §4): none is pending in a fuzzed session, so each is refused; some are malformed. */
const confirmFrame: fc.Arbitrary<Frame> = fc.oneof(
	json(fc.record({ type: fc.constant("confirm"), callId: validId, approve: fc.boolean() })),
	json(
		fc.record({ type: fc.constant("confirm"), callId: fc.oneof(badId, fc.jsonValue()), approve: fc.oneof(fc.boolean(), fc.jsonValue()) }),
	),
	json(fc.record({ type: fc.constant("confirm"), callId: validId }, { requiredKeys: ["type"] })),
);

const frame: fc.Arbitrary<Frame> = fc.oneof(
	{ weight: 5, arbitrary: json(sendFrame) },
	{ weight: 1, arbitrary: confirmFrame },
	{ weight: 6, arbitrary: nearSend },
	{ weight: 2, arbitrary: pingVariant },
	{ weight: 3, arbitrary: randomJson },
	{ weight: 3, arbitrary: nonJson },
	{ weight: 2, arbitrary: binary },
	{ weight: 1, arbitrary: big },
);

export const frameCase: fc.Arbitrary<FrameCase> = fc.record({ socket: fc.nat(10_000), frame });

// ---- The oracle: what CONTRACT §4 says the server must do with a frame ----

export type Expectation =
	| { kind: "ping" }
	| { kind: "send"; id: string | undefined; text: string }
	| { kind: "confirm" }
	| { kind: "invalid" };

export const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SEND_KEYS = new Set(["type", "id", "text"]);
const CONFIRM_KEYS = new Set(["type", "callId", "approve"]);
const objectSchema = z.record(z.string(), z.unknown());

/**
 * Written from the contract, not from the server's schema, so that the two
 * can disagree. Text frames travel as UTF-8, so a lone surrogate arrives as
 * U+FFFD; the oracle judges what arrives. A text of 1..2000 characters is
 * well-formed Unicode: a lone surrogate is not a character.
 */
export function expectationFor(frame: Frame): Expectation {
	if (frame.kind === "binary") return { kind: "invalid" };
	const raw = parseJson(frame.text.toWellFormed());
	const parsed = objectSchema.safeParse(raw);
	if (!parsed.success || typeof raw !== "object" || raw === null) return { kind: "invalid" };
	const value = parsed.data;
	// Keys from the parsed JSON itself: zod's copy sets "__proto__" as a prototype, not as a field, and would lose it.
	const keys = Object.keys(raw);
	if (value.type === "ping") return keys.length === 1 ? { kind: "ping" } : { kind: "invalid" };
	if (value.type === "confirm") {
		const valid =
			keys.length === 3 && keys.every((key) => CONFIRM_KEYS.has(key)) && typeof value.callId === "string" && ID.test(value.callId);
		return valid && typeof value.approve === "boolean" ? { kind: "confirm" } : { kind: "invalid" };
	}
	if (value.type !== "send" || keys.some((key) => !SEND_KEYS.has(key))) return { kind: "invalid" };
	const { id, text } = value;
	if (keys.includes("id") && (typeof id !== "string" || !ID.test(id))) return { kind: "invalid" };
	if (typeof text !== "string" || !text.isWellFormed()) return { kind: "invalid" };
	const trimmed = text.trim();
	if (trimmed.length < 1 || trimmed.length > 2000) return { kind: "invalid" };
	return { kind: "send", id: typeof id === "string" ? id : undefined, text };
}
