/**
 * A client that tracks turns by id, through the SDK against a real
 * SessionHub: `ChatConnection`'s `status` events and the transcript's
 * streaming replies know a reply by one id from `queued` to its end (CONTRACT
 * §4), so nothing is left "queued" once every message is answered, and the
 * widget's placeholder for a queued message is the very entry that streams
 * its reply.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ChatConnection } from "../../src/sdk";
import { createdHub, holdJobs, hubSockets } from "../support/hub";

let chat: ChatConnection | undefined;

afterEach(() => {
	chat?.stop();
	chat = undefined;
});

/** A connection to the hub that records the last state of every turn id, and every turn id the transcript showed. */
async function track(hub: Parameters<typeof hubSockets>[0]) {
	const connection = new ChatConnection({ url: "ws://hub/ws", token: "t", openSocket: hubSockets(hub), heartbeatMs: 0, reconnect: false });
	chat = connection;
	const turns = new Map<string, string>();
	const shown = new Set<string>();
	connection.on("status", (frame) => turns.set(frame.turn, frame.state));
	connection.on("change", () => {
		for (const reply of connection.transcript.streaming) shown.add(reply.turn);
	});
	connection.start();
	await connection.ready();
	const until = (done: () => boolean, timeoutMs = 5000) =>
		new Promise<void>((resolve, reject) => {
			const check = () => {
				if (!done()) return;
				off();
				clearTimeout(timer);
				resolve();
			};
			const off = connection.on("change", check);
			const timer = setTimeout(() => {
				off();
				reject(new Error(`timed out; turns ${JSON.stringify([...turns])}`));
			}, timeoutMs);
			check();
		});
	const answered = (id: string) => connection.transcript.messages.some((m) => m.role !== "user" && m.replyTo?.includes(id));
	const stuck = () => [...turns].filter(([, state]) => state === "queued" || state === "thinking" || state === "streaming");
	return { connection, turns, shown, until, answered, stuck };
}

describe("SDK: tracking turns by id", () => {
	it("ends with no turn stuck in queued, and shows one entry from queued to the reply", async () => {
		const { hub } = await createdHub();
		const { connection, turns, shown, until, answered, stuck } = await track(hub);
		connection.send("How do I reset my password?", "q1");
		await until(() => answered("q1") && stuck().length === 0);
		expect(stuck()).toEqual([]);
		expect([...turns.values()]).toEqual(["done"]);
		expect(shown.size).toBe(1);
		expect(connection.transcript.streaming).toEqual([]);
	});

	it("follows two messages answered by one turn as that one turn", async () => {
		const { hub } = await createdHub();
		await holdJobs(hub);
		const { connection, turns, shown, until, answered, stuck } = await track(hub);
		connection.send("How do I reset my password?", "q1");
		connection.send("And how do I enable two-factor authentication?", "q2");
		await until(() => connection.transcript.streaming.some((r) => r.replyTo.length === 2));
		expect(connection.transcript.streaming.map((r) => [r.state, r.replyTo])).toEqual([["queued", ["q1", "q2"]]]);
		await hub.runTurn({ messageIds: ["q1"], attempt: 1 });
		await until(() => answered("q2") && stuck().length === 0);
		expect(stuck()).toEqual([]);
		expect(turns.size).toBe(1);
		expect(shown.size).toBe(1);
		expect(connection.transcript.streaming).toEqual([]);
	});

	it("keeps a turn given back as the same entry, queued again without its partial text, until its retry ends", async () => {
		const { hub } = await createdHub();
		await holdJobs(hub);
		const { connection, turns, shown, until, answered, stuck } = await track(hub);
		connection.send("How do I reset my password?", "q1");
		await until(() => connection.transcript.streaming.length === 1);
		const begun = await hub.beginTurn({ messageIds: ["q1"] });
		if (begun.kind !== "started") throw new Error("turn did not start");
		await hub.appendDelta({ turnId: begun.turnId, text: "Partial " });
		await until(() => connection.transcript.streaming[0]?.text === "Partial ");
		await hub.abandonTurn(begun.turnId);
		await until(() => connection.transcript.streaming[0]?.state === "queued");
		expect(connection.transcript.streaming).toMatchObject([{ state: "queued", text: "", replyTo: ["q1"] }]);
		await hub.runTurn({ messageIds: ["q1"], attempt: 2 });
		await until(() => answered("q1") && stuck().length === 0);
		expect([...turns.values()]).toEqual(["done"]);
		expect(shown.size).toBe(1);
	});
});
