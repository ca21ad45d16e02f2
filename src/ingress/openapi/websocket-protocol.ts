/**
 * The WebSocket protocol (CONTRACT §4) as Markdown for the socket route's
 * description. OpenAPI has no words for frames, so the frame lists are
 * generated from the frame schemas themselves (shared/schemas/frames.ts):
 * a field added there shows up here, and a frame type added there fails the
 * typecheck until it is explained below.
 */
import { z } from "zod";
import { type ClientFrame, clientFrameSchema } from "../../shared/schemas/client-frame";
import {
	ERROR_CODES,
	MAX_CLIENT_FRAME_BYTES,
	PING_TEXT,
	PONG_TEXT,
	type ServerFrame,
	serverFrameSchema,
} from "../../shared/schemas/frames";

const SERVER_FRAMES: Record<ServerFrame["type"], string> = {
	ready: "Always the first frame.",
	message:
		"A committed message (replay, then live: user messages, echoed to the sender's other tabs, and final replies). The final `message` of a reply is authoritative.",
	status:
		"Progress of a turn. `turn` is the turn's id: assigned when the first message it answers is accepted, it is the same in the turn's `queued` frame and in every later `status` and `delta` frame of it, until one terminal state (`done`, `failed` or `escalated`). `replyTo` lists the messages the turn answers; a message accepted while others wait joins their turn. A turn given back after a failure is `queued` again under its id: drop its partial text. A turn whose messages another turn's `status` lists has been merged into it, and ends, under its own id, when that one does.",
	delta: "A chunk of the reply in progress; `offset` is the index of its first character in the reply text.",
	summary: "The running summary changed; it covers messages up to `throughSeq`.",
	error: "A problem with the client's last frame (codes below); the socket stays open.",
	pong: `The answer to exactly \`${PING_TEXT}\`, given without waking a hibernated session object.`,
};

const CLIENT_FRAMES: Record<ClientFrame["type"], string> = {
	send: "A user message, with the same semantics and idempotency as `POST /messages`; the sender receives its own `message` frame with the assigned `seq`.",
	ping: `Heartbeat: send exactly \`${PING_TEXT}\` and expect \`${PONG_TEXT}\`.`,
};

const ERROR_MEANINGS: Record<(typeof ERROR_CODES)[keyof typeof ERROR_CODES], string> = {
	bad_frame: "the frame is not valid JSON or not a valid client frame",
	rate_limited: "sending too fast (the per-session message limit, shared with POST)",
	unavailable: "not accepted now: resend the same id later",
};

/** The protocol section, Markdown. */
export function websocketProtocolMarkdown(): string {
	return [
		"Frames are JSON text. Authenticate with the subprotocols `chat.v1` and `bearer.<token>` (the server selects `chat.v1`), or with `?token=` for tools that cannot set subprotocols.",
		"",
		"**Resume.** The server first sends `ready`, then replays every committed message with `seq > after`, in order, with no gaps and no duplicates (archived messages included, streamed in pages). If a reply is streaming at connect time, a `delta` with `offset: 0` and all the text so far follows, then the `status` of the turn in progress and the `queued` status of the turn waiting to start, if any, so a client resuming mid-turn keeps the turn ids it knows. Reconnect with `after` = the last `seq` you hold.",
		"",
		`**Heartbeat.** Send exactly \`${PING_TEXT}\` (no spaces); the answer is exactly \`${PONG_TEXT}\`.`,
		"",
		"### Server → client frames",
		"",
		frameList(serverFrameSchema.def.options, SERVER_FRAMES),
		"",
		"### Client → server frames",
		"",
		frameList(clientFrameSchema.options, CLIENT_FRAMES),
		"",
		"### Error codes (`error` frames)",
		"",
		"| code | meaning |",
		"|---|---|",
		...Object.values(ERROR_CODES).map((code) => `| \`${code}\` | ${ERROR_MEANINGS[code]} |`),
		"",
		"### Close codes",
		"",
		"| code | when |",
		"|---|---|",
		`| 1000 | the session was deleted (reason \`session deleted\`) |`,
		`| 1009 | a client frame over ${MAX_CLIENT_FRAME_BYTES / 1024} KiB |`,
		"",
		"A delta's text equals the final message's text at `[offset, offset + text.length)`. The `ClientFrame` and `ServerFrame` schemas are in this document's components.",
	].join("\n");
}

/** One list item per frame: its type, its fields (`?` when optional) and what it means. A list reads better than a table in a narrow column. */
function frameList(frames: readonly z.core.$ZodType[], meanings: Record<string, string>): string {
	const items = frames.map((frame) => {
		const schema = z.toJSONSchema(frame, { io: "input", unrepresentable: "any" });
		const properties = Object.entries(schema.properties ?? {});
		const type = properties.find(([name]) => name === "type")?.[1];
		const name = typeof type === "object" && "const" in type ? String(type.const) : "?";
		const required = new Set(schema.required ?? []);
		const fields = properties
			.filter(([field]) => field !== "type")
			.map(([field, property]) => `\`${field}${required.has(field) ? "" : "?"}\`: ${typeName(property)}`)
			.join(", ");
		return `- **\`${name}\`**${fields ? ` (${fields})` : ""}: ${meanings[name] ?? ""}`;
	});
	return items.join("\n");
}

/** A short type: `string`, `integer`, `string[]`, `"a" | "b"`, or a schema name. */
function typeName(schema: z.core.JSONSchema._JSONSchema): string {
	if (typeof schema !== "object") return "any";
	if (schema.$ref) return schema.$ref.split("/").pop() ?? "object";
	if (schema.enum) return schema.enum.map((value) => `\`"${String(value)}"\``).join(" | ");
	if (schema.const !== undefined) return `\`${JSON.stringify(schema.const)}\``;
	if (schema.type === "array" && schema.items && !Array.isArray(schema.items)) return `${typeName(schema.items)}[]`;
	if (Array.isArray(schema.type)) return schema.type.join(" | ");
	return schema.type ?? "any";
}
