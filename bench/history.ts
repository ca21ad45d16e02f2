/**
 * The bench's history section (bounded history and summarization): how many
 * SQLite bytes a 1,000-message session keeps, how long a socket replay of
 * those 1,000 messages (mostly from the R2 archive) takes against a replay of
 * a session that is all hot (about 100 messages), how long one summarize job takes,
 * and how long a /api/metrics scrape takes once all that has been recorded.
 */
import { z } from "zod";
import { type ChatSession, ChatSocket, createSession } from "../load/lib/chat-client";
import { Latency, type Percentiles } from "../load/lib/histogram";
import { AdminApi, ChatApi } from "../src/sdk/node";
import { DEV_DEFAULTS } from "../src/shared/config";
import type { DevServer } from "../test/support/dev-server";

const summarizeLogSchema = z.object({ event: z.literal("summarize_job"), result: z.string(), ms: z.number().optional() });

export interface HistoryPlan {
	/** User messages posted to the long session (replies come on top). */
	messages: number;
	replays: number;
	/** Sessions of 25 messages summarized by one cron run. */
	summarySessions: number;
}

export interface HistoryResult {
	messages: number;
	sqliteBytes: number;
	hotMessages: number;
	archivedMessages: number;
	archiveSegments: number;
	replayArchivedMs: Percentiles;
	replayHotMs: Percentiles;
	/** Messages in the all-hot session replayed for comparison (50 questions, each with its reply). */
	replayHotMessages: number;
	/** Per replayed message, the archived replay's p50 over the hot one's. */
	replayPerMessageRatio: number | null;
	summarizeJobMs: Percentiles;
	summarizeJobs: number;
	/** GET /api/metrics after all of the above, 20 times. */
	metricsScrapeMs: Percentiles;
	/** The same, once the metrics store also holds 30 days of rollups (minutes for 48 h, then hours). */
	metricsScrape30DaysMs: Percentiles;
	errors: number;
}

export async function measureHistory(server: DevServer, plan: HistoryPlan, log: (text: string) => void): Promise<HistoryResult> {
	const url = server.url;
	let errors = 0;
	log(`history: posting ${plan.messages} messages to one session`);
	const long = await createSession(url);
	errors += await post(url, long, plan.messages, "long");
	const total = await settled(url, long, plan.messages);
	const storage = await boundedStorage(url, long);
	log(`history: ${total} messages, ${storage.hotMessages} hot, ${storage.archiveSegments} segments, ${storage.sqliteBytes} SQLite bytes`);

	// One question at a time, each waiting for its reply: 50 questions and 50 replies, all hot.
	const hot = await createSession(url);
	const writer = await ChatSocket.connect(url, hot);
	for (let i = 0; i < 50; i++) {
		const timing = await writer.send(`hot${i}`, `Question ${i}: how do I reset my password?`, 10_000).catch(() => undefined);
		if (timing?.finalMs === undefined) errors++;
	}
	writer.close();
	const hotTotal = await settled(url, hot, 50);

	const archived = new Latency();
	const hotReplay = new Latency();
	for (let r = 0; r < plan.replays; r++) {
		const a = await timeReplay(url, long, total);
		const h = await timeReplay(url, hot, hotTotal);
		if (a === undefined || h === undefined) errors++;
		if (a !== undefined) archived.record(a);
		if (h !== undefined) hotReplay.record(h);
	}

	log(`history: summarizing ${plan.summarySessions} sessions of 25 messages with one cron run`);
	const sessions = await Promise.all(Array.from({ length: plan.summarySessions }, () => createSession(url)));
	for (const session of sessions) errors += await post(url, session, 25, "sum");
	for (const session of sessions) await settled(url, session, 25);
	const logStart = server.output().length;
	const fired = await fetch(`${url}/cdn-cgi/handler/scheduled?cron=${encodeURIComponent("*/5 * * * *")}`);
	await fired.body?.cancel();
	const jobs = await summarizeJobs(server, logStart, plan.summarySessions + 1);
	const summarizeJobMs = new Latency();
	for (const ms of jobs) summarizeJobMs.record(ms);

	const scrapes = await scrapeTimes(url, 20);
	log("history: synthesizing 30 days of metrics history, then scraping again");
	const synthesized = await admin(url)
		.synthesizeMetricsHistory(30)
		.catch((error: unknown) => {
			log(`  synthesis failed: ${String(error)}`);
			return undefined;
		});
	log(`  ${JSON.stringify(synthesized)}`);
	const scrapes30d = await scrapeTimes(url, 20);
	errors += scrapes.errors + scrapes30d.errors + (synthesized ? 0 : 1);

	const archivedSummary = archived.summary();
	const hotSummary = hotReplay.summary();
	const perMessage = (p: Percentiles, n: number) => p.p50 / Math.max(1, n);
	const result: HistoryResult = {
		messages: total,
		...storage,
		replayArchivedMs: archivedSummary,
		replayHotMs: hotSummary,
		replayHotMessages: hotTotal,
		replayPerMessageRatio:
			hotSummary.n > 0 ? Math.round((perMessage(archivedSummary, total) / perMessage(hotSummary, hotTotal)) * 100) / 100 : null,
		summarizeJobMs: summarizeJobMs.summary(),
		summarizeJobs: jobs.length,
		metricsScrapeMs: scrapes.latency.summary(),
		metricsScrape30DaysMs: scrapes30d.latency.summary(),
		errors,
	};
	console.log(`\nhistory: ${JSON.stringify(result)}`);
	return result;
}

function admin(url: string): AdminApi {
	return new AdminApi({ baseUrl: url, adminToken: DEV_DEFAULTS.adminToken });
}

/** `count` scrapes of /api/metrics, one at a time (timed raw: the exposition is text, not an SDK call). */
async function scrapeTimes(url: string, count: number): Promise<{ latency: Latency; errors: number }> {
	const latency = new Latency();
	let errors = 0;
	for (let i = 0; i < count; i++) {
		const started = performance.now();
		const response = await fetch(`${url}/api/metrics`);
		await response.text();
		if (response.ok) latency.record(performance.now() - started);
		else errors++;
	}
	return { latency, errors };
}

/** Posts `count` questions, four at a time; returns how many were refused. */
async function post(url: string, session: ChatSession, count: number, tag: string): Promise<number> {
	const api = new ChatApi({ baseUrl: url });
	let next = 0;
	let failed = 0;
	await Promise.all(
		Array.from({ length: 4 }, async () => {
			for (let i = next++; i < count; i = next++) {
				await api.postMessage(session, { id: `${tag}${i}`, text: `Question ${i}: how do I export my data?` }).catch(() => failed++);
			}
		}),
	);
	return failed;
}

/**
 * Waits until the conversation has settled: more messages than questions,
 * the last one a reply, and nothing new for a second. Returns its lastSeq.
 */
async function settled(url: string, session: ChatSession, userMessages: number): Promise<number> {
	const deadline = Date.now() + 180_000;
	const api = new ChatApi({ baseUrl: url });
	let previous = -1;
	for (;;) {
		const info = await api.getSession(session);
		const page = await api.listMessages(session, { after: Math.max(0, info.lastSeq - 1) });
		const quiet = info.lastSeq === previous;
		previous = info.lastSeq;
		if (quiet && info.lastSeq > userMessages && page.messages.at(-1)?.role !== "user") return info.lastSeq;
		if (Date.now() > deadline) throw new Error(`history: session ${session.sessionId} did not settle`);
		await new Promise((r) => setTimeout(r, 1000));
	}
}

async function boundedStorage(url: string, session: ChatSession) {
	const deadline = Date.now() + 60_000;
	for (;;) {
		const storage = await admin(url).sessionStorage(session.sessionId);
		if (storage.hotMessages <= 100 || Date.now() > deadline) return storage;
		await new Promise((r) => setTimeout(r, 250));
	}
}

/** Milliseconds from opening a socket with after=0 until all `total` messages arrived; undefined on failure. */
async function timeReplay(url: string, session: ChatSession, total: number): Promise<number | undefined> {
	const started = performance.now();
	try {
		const socket = await ChatSocket.connect(url, session, 0, 30_000);
		const done = await new Promise<boolean>((resolve) => {
			const timer = setTimeout(() => resolve(false), 30_000);
			const check = () => {
				if (socket.seqs.size >= total) {
					clearTimeout(timer);
					resolve(true);
				}
			};
			socket.onFrame = check;
			check();
		});
		socket.close();
		return done ? performance.now() - started : undefined;
	} catch {
		return undefined;
	}
}

/** The `ms` of every summarize job logged since `from`, waiting for at least `expected` of them (bounded). */
async function summarizeJobs(server: DevServer, from: number, expected: number): Promise<number[]> {
	const deadline = Date.now() + 120_000;
	for (;;) {
		const jobs = server
			.output()
			.slice(from)
			.split("\n")
			.flatMap((line) => {
				const start = line.indexOf('{"event":"summarize_job"');
				if (start < 0) return [];
				const parsed = summarizeLogSchema.safeParse(JSON.parse(line.slice(start)));
				return parsed.success && parsed.data.result === "stored" && parsed.data.ms !== undefined ? [parsed.data.ms] : [];
			});
		if (jobs.length >= expected || Date.now() > deadline) return jobs;
		await new Promise((r) => setTimeout(r, 500));
	}
}
