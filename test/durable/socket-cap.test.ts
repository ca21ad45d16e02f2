/**
 * Past MAX_SOCKETS_PER_SESSION, the oldest sockets are closed with 1008, and
 * "oldest" holds within one millisecond too: the runtime's clock moves only
 * between events, so a burst of connects shares a `connectedAt`, and their
 * order of acceptance decides (a tie once closed the newest socket instead).
 */
import { describe, expect, it } from "vitest";
import { capSockets, MAX_SOCKETS_PER_SESSION } from "../../src/durable/session-hub/sockets";

/** A socket as capSockets sees one: its attachment, and the code it was closed with, if any. */
function fakeSocket(attachment: unknown): WebSocket & { closedWith?: number } {
	const socket = {
		closedWith: undefined as number | undefined,
		deserializeAttachment: () => attachment,
		close(code: number) {
			socket.closedWith = code;
		},
	};
	return socket as unknown as WebSocket & { closedWith?: number };
}

describe("capSockets", () => {
	it("closes the first accepted of sockets that share a millisecond, whatever order the runtime lists them in", () => {
		const sockets = Array.from({ length: MAX_SOCKETS_PER_SESSION + 1 }, (_, i) => fakeSocket({ connectedAt: 1000, order: i + 1 }));
		capSockets([...sockets].reverse());
		expect(sockets.map((s) => s.closedWith ?? null)).toEqual([1008, ...Array(MAX_SOCKETS_PER_SESSION).fill(null)]);
	});

	it("orders by time first, and a socket from before the order was kept counts as the oldest of its millisecond", () => {
		const sockets = [
			fakeSocket({ connectedAt: 2000, order: 1 }),
			fakeSocket({ connectedAt: 1000, order: 7 }),
			fakeSocket({ connectedAt: 1000 }),
			...Array.from({ length: MAX_SOCKETS_PER_SESSION - 1 }, (_, i) => fakeSocket({ connectedAt: 3000 + i, order: i + 2 })),
		];
		capSockets(sockets);
		expect(sockets.map((s) => s.closedWith ?? null).slice(0, 3)).toEqual([null, 1008, 1008]);
		expect(sockets.filter((s) => s.closedWith === 1008)).toHaveLength(2);
	});

	it("closes nothing at the limit", () => {
		const sockets = Array.from({ length: MAX_SOCKETS_PER_SESSION }, (_, i) => fakeSocket({ connectedAt: 1000, order: i + 1 }));
		capSockets(sockets);
		expect(sockets.every((s) => s.closedWith === undefined)).toBe(true);
	});
});
