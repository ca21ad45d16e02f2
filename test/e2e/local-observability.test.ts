/**
 * The bench and the load suite measure both systems without wrangler's local trace collector
 * (load/lib/servers.ts): a development tool that tails every invocation on the Worker's own
 * thread, and part of neither system. The collector keeps its traces in a Durable Object of its
 * own, under the state folder; a server run as users run it has that folder, and the product as
 * the bench starts it has none. Were wrangler to rename its switch, the bench would again measure
 * the collector, and this test would fail.
 */
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { expect, it } from "vitest";
import { startProduct } from "../../load/lib/servers";
import { type DevServer, startDevServer } from "../support/dev-server";
import { sleep } from "./support/api";

/** Whether the collector's trace store exists anywhere in the server's state folder. */
function hasTraceStore(server: DevServer): boolean {
	const walk = (dir: string, depth: number): boolean =>
		existsSync(dir) &&
		readdirSync(dir, { withFileTypes: true }).some(
			(entry) => /trace-store/.test(entry.name) || (entry.isDirectory() && depth < 4 && walk(join(dir, entry.name), depth + 1)),
		);
	return walk(server.persistTo, 0);
}

/** A few invocations for a collector to hear, and time for it to store them. */
async function exercise(server: DevServer): Promise<void> {
	for (let i = 0; i < 3; i++) expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
	await sleep(1000);
}

it("runs as users run it with the collector, and as the bench starts the product without it", async () => {
	const asUsersRunIt = await startDevServer();
	try {
		await exercise(asUsersRunIt);
		expect(hasTraceStore(asUsersRunIt)).toBe(true);
	} finally {
		await asUsersRunIt.stop();
	}
	const asTheBenchRunsIt = await startProduct({ profile: "instant" });
	try {
		await exercise(asTheBenchRunsIt);
		expect(hasTraceStore(asTheBenchRunsIt)).toBe(false);
	} finally {
		await asTheBenchRunsIt.stop();
	}
}, 180_000);
