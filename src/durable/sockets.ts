/**
 * Small helpers for hibernatable WebSockets. Sends and closes can throw when
 * the peer is already gone; a hub must never fail a broadcast or an RPC
 * because one tab closed, so these swallow exactly that.
 */
import type { ServerFrame } from "../shared/schemas/frames";

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
