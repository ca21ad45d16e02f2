/**
 * `GET /api/health`: probes the session hubs and the knowledge base with a
 * cheap call each, in parallel and under a deadline. Sessions down means the
 * product is down; the knowledge base down means answers lose grounding, so
 * the product is degraded.
 */
import { Hono } from "hono";
import { KNOWLEDGE_BASE_NAME } from "../../shared/schemas/kb";
import type { IngressEnv } from "../env";

const PROBE_TIMEOUT_MS = 2000;

type CheckStatus = "ok" | "down";
interface Check {
	status: CheckStatus;
	latencyMs: number;
	detail?: string;
}

async function probe(run: () => Promise<unknown>): Promise<Check> {
	const started = performance.now();
	try {
		await Promise.race([run(), new Promise((_, reject) => setTimeout(() => reject(new Error("timed out")), PROBE_TIMEOUT_MS))]);
		return { status: "ok", latencyMs: Math.round(performance.now() - started) };
	} catch (error) {
		const detail = error instanceof Error && error.message === "timed out" ? "no answer within 2 s" : "unavailable";
		return { status: "down", latencyMs: Math.round(performance.now() - started), detail };
	}
}

export const health = new Hono<IngressEnv>();

health.get("/", async (c) => {
	const [sessions, knowledgeBase] = await Promise.all([
		probe(() => c.env.SESSION_HUB.get(c.env.SESSION_HUB.idFromName("health-probe")).info()),
		probe(() => c.env.KNOWLEDGE_BASE.get(c.env.KNOWLEDGE_BASE.idFromName(KNOWLEDGE_BASE_NAME)).count()),
	]);
	const status = sessions.status === "down" ? "down" : knowledgeBase.status === "down" ? "degraded" : "ok";
	return c.json({ status, version: c.get("config").version, checks: { sessions, knowledgeBase } }, status === "down" ? 503 : 200);
});
