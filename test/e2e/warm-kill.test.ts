/**
 * A 500-question warming job with the server killed mid-way: the job's
 * progress survives, the questions the local queue lost with the process are
 * sent again by the job's alarm, and every question ends counted exactly
 * once.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import { jobStatusSchema, warmStartedSchema } from "../../src/shared/schemas/responses";
import { type DevServer, startDevServer } from "../support/dev-server";
import { ADMIN_TOKEN, bearer, JSON_HEADERS, parseJson, request, sleep } from "./support/api";

const TOPICS = [
	"How do I reset my password",
	"How do I export my data",
	"How do I cancel my subscription",
	"Can I get a refund on my annual plan",
	"How do I enable two-factor authentication",
	"How do I invite a teammate",
	"Where can I download my invoices",
	"How do I connect the Slack integration",
];

let server: DevServer;
let after: DevServer;

beforeAll(async () => {
	server = await startDevServer();
}, 120_000);
afterAll(async () => {
	await after?.stop();
	await server?.stop();
});

async function job(url: string, jobId: string) {
	return parseJson(jobStatusSchema, await request(`${url}/api/admin/jobs/${jobId}`, { headers: bearer(ADMIN_TOKEN) }));
}

it("finishes a 500-question job after the server is killed mid-way, counting each question once", async () => {
	const questions = Array.from({ length: 500 }, (_, i) => `${TOPICS[i % TOPICS.length]} (case ${i})?`);
	const started = Date.now();
	const submitted = await request(`${server.url}/api/admin/cache/warm`, {
		method: "POST",
		headers: { ...JSON_HEADERS, ...bearer(ADMIN_TOKEN) },
		body: JSON.stringify({ questions }),
	});
	expect(submitted.status).toBe(202);
	const { jobId } = parseJson(warmStartedSchema, submitted);
	let progress = await job(server.url, jobId);
	while (progress.done < 60) {
		await sleep(250);
		progress = await job(server.url, jobId);
	}
	expect(progress.state).toBe("running");
	const doneAtKill = progress.done;
	await server.kill();
	after = await startDevServer({ persistTo: server.persistTo, port: server.port });
	expect((await job(after.url, jobId)).done).toBeGreaterThanOrEqual(doneAtKill);
	const deadline = Date.now() + 150_000;
	while (progress.state !== "done" && Date.now() < deadline) {
		await sleep(500);
		progress = await job(after.url, jobId);
	}
	expect(progress).toMatchObject({ state: "done", total: 500, done: 500, failed: 0 });
	console.log(`FAULT-FIGURES warm-kill ${JSON.stringify({ doneAtKill, seconds: Math.round((Date.now() - started) / 1000) })}`);
}, 240_000);
