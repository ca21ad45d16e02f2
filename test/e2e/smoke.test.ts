import { afterAll, beforeAll, expect, it } from "vitest";
import { type DevServer, startDevServer } from "../support/dev-server";

let server: DevServer;
beforeAll(async () => {
	server = await startDevServer();
});
afterAll(async () => {
	await server?.stop();
});

it("serves the health route from wrangler dev", async () => {
	const response = await fetch(`${server.url}/api/health`);
	expect(response.status).toBe(200);
	expect(await response.json()).toMatchObject({ status: "ok" });
});
