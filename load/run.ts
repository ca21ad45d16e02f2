/**
 * The load-test runner.
 *
 *   npm run load -- --scenario <ramp-up|spike|stress|mixed> [--target URL] [--duration s] [--allow-remote]
 *                   [--profile instant|demo|realistic] [--chunk-delay ms]
 *
 * Without --target it starts the product itself (`wrangler dev --local`,
 * rate limits raised, local provider profile --profile, default demo, with
 * --chunk-delay overriding its pause between chunks)
 * and stops it at the end, on failure and on SIGINT. The load phase plus
 * the audit has a hard deadline of duration + 60 s, after which the run
 * stops and reports. Exits 0 when every threshold holds, 1 when one is
 * breached, 2 on a usage or setup error, 130 when interrupted.
 */
import { localPacing } from "../src/shared/config";
import { parseOptions, USAGE } from "./core/cli";
import { failureReason } from "./core/errors";
import { type LoadTarget, openTarget } from "./core/load-target";
import { findScenario } from "./core/registry";
import { runScenario } from "./core/run-scenario";
import { scenarioDuration } from "./core/stages";
import { buildSummary, printSummary, writeSummary } from "./core/summary";
import { evaluateThresholds, parseThresholds } from "./core/thresholds";

const GRACE_S = 60;
/** After the deadline, the report and the server's stop get this long before the process exits regardless. */
const EXIT_BACKSTOP_MS = 20_000;

async function main(): Promise<number> {
	let options: ReturnType<typeof parseOptions>;
	let scenario: ReturnType<typeof findScenario>;
	let thresholds: ReturnType<typeof parseThresholds>;
	try {
		options = parseOptions(process.argv.slice(2));
		scenario = findScenario(options.scenario);
		// Parsed before anything starts: a typo in a threshold must not cost a whole run.
		thresholds = parseThresholds(scenario.thresholds);
	} catch (error) {
		console.error(`${failureReason(error)}\n${USAGE}`);
		return 2;
	}

	const stop = new AbortController();
	let stoppedBy: string | null = null;
	const halt = (reason: string) => {
		if (stop.signal.aborted) return;
		stoppedBy = reason;
		stop.abort();
		setTimeout(() => process.exit(reason === "SIGINT" ? 130 : 2), EXIT_BACKSTOP_MS).unref();
	};
	const onSignal = (signal: NodeJS.Signals) => {
		// A second Ctrl-C means now: the exit handler still kills the dev server.
		if (stop.signal.aborted) process.exit(130);
		console.error(`\n${signal}: stopping the run and reporting what was measured…`);
		halt(signal);
	};
	process.on("SIGINT", onSignal);
	process.on("SIGTERM", onSignal);

	const durationS = options.durationS ?? scenarioDuration(scenario);
	let target: LoadTarget | undefined;
	try {
		console.log(`${scenario.name}: ${options.target ? `targeting ${options.target}` : "starting the product (wrangler dev --local)…"}`);
		try {
			target = await openTarget(options);
		} catch (error) {
			// Setup problems (refused target, unreachable, wrangler failing) need the message, not a stack.
			console.error(
				`cannot start the run: ${error instanceof Error && error.message !== "fetch failed" ? error.message : failureReason(error)}`,
			);
			return 2;
		}
		if (stop.signal.aborted) return 130;
		console.log(`${scenario.name}: ${durationS} s of load on ${target.url}`);
		const deadline = setTimeout(() => halt(`hard deadline (${durationS} s + ${GRACE_S} s) reached`), (durationS + GRACE_S) * 1000);
		const outcome = await runScenario(scenario, target.url, options.durationS, stop.signal);
		clearTimeout(deadline);
		// After the load, before the summary. The peak is read first: the heap snapshot that forces the collection
		// is the runner's work in the isolate, not the product's, and must not count toward its peak.
		const peakIsolateHeapMb = target.peakIsolateHeapMb();
		const retainedIsolateHeapMb = await target.retainedIsolateHeapMb();
		const summary = buildSummary({
			scenario,
			outcome,
			thresholds: evaluateThresholds(thresholds, outcome.metrics),
			target: target.url,
			startedBy: target.startedBy,
			pacing: { profile: options.profile, ...localPacing(options.profile, options.chunkDelayMs) },
			peakRssMb: target.peakRssMb(),
			peakIsolateHeapMb,
			retainedIsolateHeapMb,
			stoppedBy,
		});
		printSummary(summary);
		console.log(`written to ${writeSummary(summary)}`);
		if (stoppedBy === "SIGINT" || stoppedBy === "SIGTERM") return 130;
		return summary.pass ? 0 : 1;
	} catch (error) {
		console.error(`load run failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
		return 2;
	} finally {
		await target?.close();
	}
}

// Abandoned iterations may still hold sockets and timers: exit explicitly rather than wait for them.
process.exit(await main());
