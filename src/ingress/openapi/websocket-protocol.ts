/**
 * The WebSocket protocol (CONTRACT §4) as Markdown for the socket route's
 * description. OpenAPI has no words for frames, so the frame lists are
 * generated from the frame schemas themselves (shared/schemas/frames.ts):
 * a field added there shows up here, and a frame type added there fails the
 * typecheck until it is explained beside its schema.
 */
import { z } from "zod";
import { CLIENT_FRAME_MEANINGS, clientFrameSchema } from "../../shared/schemas/client-frame";
import {
	ERROR_CODE_MEANINGS,
	ERROR_CODES,
	MAX_CLIENT_FRAME_BYTES,
	PING_TEXT,
	PONG_TEXT,
	SERVER_FRAME_MEANINGS,
	serverFrameSchema,
} from "../../shared/schemas/frames";

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
		frameList(serverFrameSchema.def.options, SERVER_FRAME_MEANINGS),
		"",
		"### Client → server frames",
		"",
		frameList(clientFrameSchema.options, CLIENT_FRAME_MEANINGS),
		"",
		"### Error codes (`error` frames)",
		"",
		"| code | meaning |",
		"|---|---|",
		...Object.values(ERROR_CODES).map((code) => `| \`${code}\` | ${ERROR_CODE_MEANINGS[code]} |`),
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
