/**
 * `npm run warm -- questions.txt [--url http://localhost:8787]`: submits a
 * cache-warming job (one question per non-empty line, at most 1000) and
 * shows its progress as a live bar until it ends. The admin token is
 * ADMIN_TOKEN from the environment, or the development default.
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { Presets, SingleBar } from "cli-progress";
import { DEV_DEFAULTS } from "../src/shared/config";
import { jobStatusSchema, warmStartedSchema } from "../src/shared/schemas/responses";
import { checkTarget } from "./lib/target";

const { values, positionals } = parseArgs({
	options: { url: { type: "string", default: "http://localhost:8787" } },
	allowPositionals: true,
});
const url = values.url ?? "http://localhost:8787";
const file = positionals[0];
if (!file) {
	console.error("usage: npm run warm -- <questions.txt> [--url http://localhost:8787]");
	process.exit(2);
}
checkTarget(url, false);
const questions = readFileSync(file, "utf8")
	.split("\n")
	.map((line) => line.trim())
	.filter(Boolean);
const headers = { Authorization: `Bearer ${process.env.ADMIN_TOKEN ?? DEV_DEFAULTS.adminToken}`, "Content-Type": "application/json" };

const submitted = await fetch(`${url}/api/admin/cache/warm`, { method: "POST", headers, body: JSON.stringify({ questions }) });
if (submitted.status !== 202) {
	console.error(`the job was refused: HTTP ${submitted.status} ${await submitted.text()}`);
	process.exit(1);
}
const { jobId } = warmStartedSchema.parse(await submitted.json());
console.log(`job ${jobId}: ${questions.length} questions`);

const bar = new SingleBar(
	{ format: "warming [{bar}] {percentage}% | {value}/{total} | failed {failed} | skipped {skipped} | {state}" },
	Presets.shades_classic,
);
bar.start(questions.length, 0, { failed: 0, skipped: 0, state: "queued" });
const started = performance.now();
for (;;) {
	const response = await fetch(`${url}/api/admin/jobs/${jobId}`, { headers });
	const job = jobStatusSchema.parse(await response.json());
	bar.update(job.done + job.failed, { failed: job.failed, skipped: job.skipped, state: job.state });
	if (job.state === "done" || job.state === "failed") {
		bar.stop();
		console.log(
			`${job.state} in ${((performance.now() - started) / 1000).toFixed(1)} s: ${job.done} warm (${job.skipped} already were), ${job.failed} failed`,
		);
		process.exit(job.state === "done" && job.failed === 0 ? 0 : 1);
	}
	await new Promise((resolve) => setTimeout(resolve, 250));
}
