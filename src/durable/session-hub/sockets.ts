/**
 * Small helpers for hibernatable WebSockets. Sends and closes can throw when
 * the peer is already gone; a hub must never fail a broadcast or an RPC
 * because one tab closed, so these swallow exactly that.
 */
import { z } from "zod";
import { type ClientFrame, clientFrameSchema } from "../../shared/schemas/client-frame";
import type { ServerFrame } from "../../shared/schemas/frames";

/** Sockets one session may hold open: many tabs and devices, but not an unbounded pile. */
export const MAX_SOCKETS_PER_SESSION = 32;

/**
 * `connectedAt` is in ms, and the runtime's clock moves only between events, so sockets accepted
 * in one burst share it: `order` (the hub's count of sockets it accepted) breaks the tie. Sockets
 * from before it read as 0, the oldest of their millisecond.
 */
const attachmentSchema = z.object({ connectedAt: z.number(), order: z.number().default(0) });

/** Sends one frame; a socket that closed meanwhile is skipped (its close event cleans up). */
export function sendFrame(ws: WebSocket, frame: ServerFrame): void {
	sendText(ws, JSON.stringify(frame));
}

export function sendText(ws: WebSocket, text: string): void {
	try {
		ws.send(text);
	} catch {
		// "WebSocket send() after close": the peer left between getWebSockets() and send().
	}
}

/** Closes a socket; closing one that is already closed throws, which is fine. */
export function closeQuietly(ws: WebSocket, code: number, reason: string): void {
	try {
		ws.close(code, reason);
	} catch {
		// Already closed or closing.
	}
}

/** UTF-8 size of a frame, computed only when the cheap bound says it might be too big. */
export function frameBytes(message: string | ArrayBuffer, limit: number): number {
	if (typeof message !== "string") return message.byteLength;
	return message.length * 3 <= limit ? message.length : new TextEncoder().encode(message).byteLength;
}

/**
 * Closes the oldest sockets beyond MAX_SOCKETS_PER_SESSION with 1008 (policy
 * violation): a client that leaks sockets loses its stale ones, not the new one.
 */
export function capSockets(sockets: WebSocket[]): void {
	const excess = sockets.length - MAX_SOCKETS_PER_SESSION;
	if (excess <= 0) return;
	const age = (ws: WebSocket) => attachmentSchema.safeParse(ws.deserializeAttachment()).data ?? { connectedAt: 0, order: 0 };
	const older = (a: WebSocket, b: WebSocket) => {
		const [x, y] = [age(a), age(b)];
		return x.connectedAt - y.connectedAt || x.order - y.order;
	};
	const oldest = [...sockets].sort(older).slice(0, excess);
	for (const ws of oldest) closeQuietly(ws, 1008, "Too many connections for this session");
}

/** Parses a client frame; the error says what was wrong, for the `bad_frame` answer. */
export function parseClientFrame(message: string | ArrayBuffer): { ok: true; value: ClientFrame } | { ok: false; error: string } {
	if (typeof message !== "string") return { ok: false, error: "Frames must be JSON text." };
	let json: unknown;
	try {
		json = JSON.parse(message);
	} catch {
		return { ok: false, error: "Frame is not valid JSON." };
	}
	const parsed = clientFrameSchema.safeParse(json);
	if (parsed.success) return { ok: true, value: parsed.data };
	const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "frame"}: ${i.message}`).join("; ");
	return { ok: false, error: `Invalid frame (${issues}).` };
}
