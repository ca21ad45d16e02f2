/**
 * The admin and operations calls of the public HTTP API (CONTRACT §5, §6):
 * knowledge-base articles, cache warming and its jobs, a session's storage,
 * the development fault switch, health and alerts. Authorized by the admin token;
 * answers validated, errors as `ProblemError`, like `ChatApi`.
 */
import type { ArticleInput, FaultsInput } from "../shared/schemas/http";
import type { Parser } from "./frames";
import { type CallOptions, enc, HttpClient, type HttpOptions } from "./http";
import {
	type Alerts,
	type Article,
	alertsSchema,
	articleSchema,
	type DashboardData,
	type DashboardRange,
	dashboardDataSchema,
	type FaultState,
	type Faults,
	faultStateSchema,
	faultsSchema,
	type Health,
	healthSchema,
	type JobStatus,
	jobStatusSchema,
	problemSchema,
	type SessionStorageInfo,
	type SyntheticHistory,
	sessionStorageSchema,
	syntheticHistorySchema,
	warmStartedSchema,
} from "./responses";

/** Every schema `AdminApi` validates with, by name, so a conformance test can pass stricter ones. */
export const ADMIN_RESPONSE_SCHEMAS = {
	dashboardData: dashboardDataSchema,
	syntheticHistory: syntheticHistorySchema,
	article: articleSchema,
	warmStarted: warmStartedSchema,
	jobStatus: jobStatusSchema,
	sessionStorage: sessionStorageSchema,
	faults: faultsSchema,
	faultState: faultStateSchema,
	health: healthSchema,
	alerts: alertsSchema,
	problem: problemSchema,
} as const;

type Schemas = typeof ADMIN_RESPONSE_SCHEMAS;
export type AdminResponseParsers = { [K in keyof Schemas]: Parser<Schemas[K]["_zod"]["output"]> };

export interface AdminApiOptions extends HttpOptions {
	/** `Authorization: Bearer <admin token>`; `dev-admin-token` under `npm run dev`. */
	adminToken: string;
	schemas?: Partial<AdminResponseParsers>;
}

/**
 * @example
 * const admin = new AdminApi({ baseUrl: "http://localhost:8787", adminToken: "dev-admin-token" });
 * const { jobId } = await admin.warmCache(["How do I get a refund?"]);
 */
export class AdminApi {
	readonly #http: HttpClient;
	readonly #parsers: AdminResponseParsers;
	readonly #token: string;

	constructor(options: AdminApiOptions) {
		this.#parsers = { ...ADMIN_RESPONSE_SCHEMAS, ...options.schemas };
		this.#http = new HttpClient(options, this.#parsers.problem);
		this.#token = options.adminToken;
	}

	/** Creates (201) or replaces (200) an article. */
	async putArticle(id: string, article: ArticleInput, options: CallOptions = {}): Promise<{ article: Article; created: boolean }> {
		let status = 0;
		const onStatus = (s: number) => {
			status = s;
		};
		const body = await this.#http.json(
			`/api/admin/kb/articles/${enc(id)}`,
			{ method: "PUT", token: this.#token, body: article, expect: [200, 201], onStatus, ...options },
			this.#parsers.article,
		);
		return { article: body, created: status === 201 };
	}

	getArticle(id: string, options: CallOptions = {}): Promise<Article> {
		return this.#http.json(`/api/admin/kb/articles/${enc(id)}`, { token: this.#token, expect: [200], ...options }, this.#parsers.article);
	}

	deleteArticle(id: string, options: CallOptions = {}): Promise<void> {
		return this.#http.none(`/api/admin/kb/articles/${enc(id)}`, { method: "DELETE", token: this.#token, expect: [204], ...options });
	}

	warmCache(questions: string[], options: CallOptions = {}): Promise<{ jobId: string }> {
		return this.#http.json(
			"/api/admin/cache/warm",
			{ method: "POST", token: this.#token, body: { questions }, expect: [202], ...options },
			this.#parsers.warmStarted,
		);
	}

	getJob(jobId: string, options: CallOptions = {}): Promise<JobStatus> {
		return this.#http.json(`/api/admin/jobs/${enc(jobId)}`, { token: this.#token, expect: [200], ...options }, this.#parsers.jobStatus);
	}

	/** Erases a session as its owner's DELETE does, for sessions whose token has expired. */
	eraseSession(sessionId: string, options: CallOptions = {}): Promise<void> {
		return this.#http.none(`/api/admin/sessions/${enc(sessionId)}`, { method: "DELETE", token: this.#token, expect: [204], ...options });
	}

	sessionStorage(sessionId: string, options: CallOptions = {}): Promise<SessionStorageInfo> {
		return this.#http.json(
			`/api/admin/sessions/${enc(sessionId)}/storage`,
			{ token: this.#token, expect: [200], ...options },
			this.#parsers.sessionStorage,
		);
	}

	/** Development only: slows or fails the AI provider until `clearFaults`. Returns the faults now in force. */
	setFaults(faults: FaultsInput, options: CallOptions = {}): Promise<Faults> {
		return this.#http.json(
			"/api/admin/faults",
			{ method: "POST", token: this.#token, body: faults, expect: [200], ...options },
			this.#parsers.faults,
		);
	}

	getFaults(options: CallOptions = {}): Promise<FaultState> {
		return this.#http.json("/api/admin/faults", { token: this.#token, expect: [200], ...options }, this.#parsers.faultState);
	}

	clearFaults(options: CallOptions = {}): Promise<void> {
		return this.#http.none("/api/admin/faults", { method: "DELETE", token: this.#token, expect: [204], ...options });
	}

	/** The dashboard's series over the last hour, six hours or day, with the firing alerts and recent warming jobs. */
	dashboardSeries(range: DashboardRange, options: CallOptions = {}): Promise<DashboardData> {
		return this.#http.json(
			`/api/admin/metrics/series?range=${enc(range)}`,
			{ token: this.#token, expect: [200], ...options },
			this.#parsers.dashboardData,
		);
	}

	/** Development only: fills the metrics stores with `days` of rollups (the bench times a scrape against them). */
	synthesizeMetricsHistory(days: number, options: CallOptions = {}): Promise<SyntheticHistory> {
		return this.#http.json(
			"/api/admin/metrics/synthetic",
			{ method: "POST", token: this.#token, body: { days }, expect: [200], ...options },
			this.#parsers.syntheticHistory,
		);
	}

	/** Firing and resolved alerts, and the recommendations that go with them. */
	alerts(options: CallOptions = {}): Promise<Alerts> {
		return this.#http.json("/api/alerts", { expect: [200], ...options }, this.#parsers.alerts);
	}

	/** The health document, also when it reports `down` (HTTP 503). */
	health(options: CallOptions = {}): Promise<Health> {
		return this.#http.json("/api/health", { expect: [200, 503], ...options }, this.#parsers.health);
	}
}
