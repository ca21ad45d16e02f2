/**
 * `npm run dev [-- extra wrangler args]`: the product on http://localhost:8787
 * through `wrangler dev --local` (development secrets, the local provider),
 * the sample back office (CONTRACT §8) on http://localhost:8797 beside it,
 * plus the crons of wrangler.toml fired on their schedule. `wrangler dev`
 * never fires crons by itself; this asks its local scheduled endpoint at each
 * time a cron matches, as Cloudflare would in production.
 *
 *   npm run dev -- --var LOCAL_AI_PROFILE:realistic
 */
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { Cron } from "croner";
import { z } from "zod";

const extra = process.argv.slice(2);
const BACK_OFFICE_PORT = 8797;
const portArg = extra.indexOf("--port");
const port = portArg >= 0 ? Number(extra[portArg + 1]) : 8787;
const args = [
	"dev",
	"--local",
	...(portArg >= 0 ? [] : ["--port", "8787"]),
	"--var",
	"ENVIRONMENT:development",
	"--var",
	"AI_PROVIDER:local",
	"--var",
	`BACKOFFICE_URL:http://127.0.0.1:${BACK_OFFICE_PORT}`,
	...extra,
];

// The sample back office keeps its state apart from the product's, and survives restarts (and kills) like it.
const backOffice = spawn(
	"wrangler",
	[
		"dev",
		"--local",
		"--config",
		"src/backoffice/wrangler.toml",
		"--port",
		String(BACK_OFFICE_PORT),
		"--persist-to",
		".wrangler/backoffice-state",
		"--inspector-port",
		"9231",
		"--show-interactive-dev-session=false",
	],
	{ stdio: ["ignore", "inherit", "inherit"] },
);
const wrangler = spawn("wrangler", args, { stdio: "inherit" });
const crons = cronsOf(readFileSync("wrangler.toml", "utf8"));
const jobs = crons.map(
	(expression) =>
		new Cron(expression, { timezone: "UTC", protect: true }, async () => {
			const url = `http://127.0.0.1:${port}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent(expression)}`;
			try {
				const response = await fetch(url, { signal: AbortSignal.timeout(30_000) });
				await response.body?.cancel();
				console.log(`[crons] ${expression}: fired (HTTP ${response.status})`);
			} catch (error) {
				console.error(`[crons] ${expression}: could not reach the dev server (${error instanceof Error ? error.message : String(error)})`);
			}
		}),
);
if (crons.length > 0) console.log(`[crons] driving ${crons.join(", ")} on schedule (UTC)`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
	process.on(signal, () => {
		backOffice.kill(signal);
		wrangler.kill(signal);
	});
}
wrangler.on("exit", (code) => {
	for (const job of jobs) job.stop();
	backOffice.kill("SIGINT");
	process.exit(code ?? 0);
});

/** The `crons = [...]` of wrangler.toml's `[triggers]`. */
function cronsOf(toml: string): string[] {
	const section = toml.split(/^\[triggers\]\s*$/m)[1]?.split(/^\[/m)[0] ?? "";
	const list = /^crons\s*=\s*(\[.*\])\s*$/m.exec(section)?.[1];
	return list ? z.array(z.string()).parse(JSON.parse(list)) : [];
}
