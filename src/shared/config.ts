/**
 * Runtime configuration, parsed once per isolate from the Worker's env.
 * Env values are strings from wrangler.toml `[vars]`, `--var` and
 * `wrangler secret`; zod turns them into a typed, validated Config.
 */
import { z } from "zod";
import { DEFAULT_MODEL_PRICES, type ModelPrice, parseModelPrice } from "./ai/pricing";

/** Documented local-only defaults (CONTRACT: "refused in production"). */
export const DEV_DEFAULTS = {
	adminToken: "dev-admin-token",
	sessionSecret: "dev-session-secret-not-for-production-use-0123456789",
	eventsWebhookSecret: "dev-events-webhook-secret",
	identitySecret: "dev-identity-secret",
} as const;

export const AI_PROVIDERS = ["local", "workers-ai", "openai"] as const;

/**
 * How the local provider paces its stream. `firstChunkDelayMs: null` waits the
 * same pause before the first chunk as between the others.
 * - instant: no pacing (benchmarks of the pipeline itself);
 * - demo: a brisk 15 ms between chunks (`npm run dev`);
 * - realistic: a hosted 70B model: the first token after 400 ms, then about
 *   40 tokens (160 characters) a second, 16-character chunks every 100 ms.
 * `small` paces the simulated small model that routing sends easy turns to
 * (AI_ROUTING=auto): an 8B model starts sooner and streams about 2.5 times as
 * fast (assumed, not measured: the first token after 250 ms, ~100 tokens/s).
 */
export const LOCAL_AI_PROFILES = {
	instant: { firstChunkDelayMs: null, chunkDelayMs: 0, small: { firstChunkDelayMs: null, chunkDelayMs: 0 } },
	demo: { firstChunkDelayMs: null, chunkDelayMs: 15, small: { firstChunkDelayMs: null, chunkDelayMs: 6 } },
	realistic: { firstChunkDelayMs: 400, chunkDelayMs: 100, small: { firstChunkDelayMs: 250, chunkDelayMs: 40 } },
} as const satisfies Record<
	string,
	{ firstChunkDelayMs: number | null; chunkDelayMs: number; small: { firstChunkDelayMs: number | null; chunkDelayMs: number } }
>;
export type LocalAiProfile = keyof typeof LOCAL_AI_PROFILES;
export type LocalPacing = { firstChunkDelayMs: number; chunkDelayMs: number };

/**
 * The pauses of a profile's large model (or its `small` one), with an optional
 * override of the pause between chunks (for both models alike).
 * @example localPacing("realistic") // { firstChunkDelayMs: 400, chunkDelayMs: 100 }
 */
export function localPacing(profile: LocalAiProfile, chunkDelayOverrideMs?: number, model: "large" | "small" = "large"): LocalPacing {
	const pacing = model === "small" ? LOCAL_AI_PROFILES[profile].small : LOCAL_AI_PROFILES[profile];
	const chunkDelayMs = chunkDelayOverrideMs ?? pacing.chunkDelayMs;
	return { firstChunkDelayMs: pacing.firstChunkDelayMs ?? chunkDelayMs, chunkDelayMs };
}
export type AiProviderName = (typeof AI_PROVIDERS)[number];

const intString = (fallback: number) =>
	z
		.string()
		.regex(/^\d+$/)
		.transform(Number)
		.optional()
		.transform((value) => value ?? fallback);

const optionalText = z
	.string()
	.optional()
	.transform((value) => (value ? value : undefined));

const priceString = (fallback: ModelPrice) =>
	z
		.string()
		.optional()
		.transform((text, ctx) => {
			if (!text) return fallback;
			const price = parseModelPrice(text);
			if (!price) ctx.addIssue({ code: "custom", message: 'expected "<input>,<output>" dollars per million tokens' });
			return price ?? fallback;
		});

const envSchema = z.object({
	ENVIRONMENT: z.enum(["development", "production"]).default("production"),
	AI_PROVIDER: z.enum(AI_PROVIDERS).default("workers-ai"),
	AI_MODEL: z.string().min(1).default("@cf/meta/llama-3.3-70b-instruct-fp8-fast"),
	/** "auto": easy turns go to the small model (src/shared/turn/model-routing.ts); "off": every turn to the large one. */
	AI_ROUTING: z.enum(["off", "auto"]).default("auto"),
	AI_SMALL_MODEL: z.string().min(1).default("@cf/meta/llama-3.1-8b-instruct-fp8-fast"),
	/** Dollars per million input and output tokens, "<input>,<output>", for the large and the small model. */
	AI_MODEL_PRICES: priceString(DEFAULT_MODEL_PRICES.large),
	AI_SMALL_MODEL_PRICES: priceString(DEFAULT_MODEL_PRICES.small),
	OPENAI_BASE_URL: optionalText,
	OPENAI_MODEL: optionalText,
	/** The OpenAI-compatible endpoint's small model; unset, routing is off for it. */
	OPENAI_SMALL_MODEL: optionalText,
	OPENAI_API_KEY: optionalText,
	SESSION_SECRET: optionalText,
	ADMIN_TOKEN: optionalText,
	SESSION_TTL_SECONDS: intString(86_400),
	/** User messages a session may send in any 60 s (CONTRACT §1: POST and `send` frames together). */
	MESSAGES_PER_MINUTE: intString(30).pipe(z.number().int().min(1)),
	LOCAL_AI_PROFILE: z.enum(["instant", "demo", "realistic"]).default("demo"),
	LOCAL_AI_CHUNK_DELAY_MS: z
		.string()
		.regex(/^\d+$/)
		.transform(Number)
		.optional()
		.or(z.literal("").transform(() => undefined)),
	AI_TIMEOUT_MS: intString(20_000),
	ANSWER_CACHE: z.enum(["on", "off"]).default("on"),
	APP_VERSION: z.string().default("0.0.0"),
	ALLOWED_ORIGINS: z.string().default(""),
	/** Development only: how long the archiver pauses between an R2 write and the SQLite delete (the crash test kills it there). */
	HISTORY_ARCHIVE_PAUSE_MS: intString(0),
	/** "off" ships no metric events (the bench measures their cost against it). */
	METRICS: z.enum(["on", "off"]).default("on"),
	METRICS_SHARDS: intString(1).pipe(z.number().int().min(1).max(16)),
	/** Development only: the finest rollup's length (60 s in production). */
	METRICS_ROLLUP_SECONDS: intString(60).pipe(z.number().int().min(1).max(60)),
	/** Development only: alert windows multiplied by this (the alert test shrinks an hour to a minute). */
	ALERT_WINDOW_SCALE: z
		.string()
		.regex(/^(0(\.\d+)?|1(\.0+)?)$/)
		.transform(Number)
		.refine((n) => n > 0, "must be above 0")
		.default(1),
	/** Where each alert transition is POSTed (Alertmanager webhook, version 4); unset: nowhere. */
	ALERT_WEBHOOK_URL: optionalText.pipe(z.url().optional()),
	/** Sessions that must have asked a question before its text is kept and warmed (issue 17: no one-off, personal text). */
	WARM_MIN_SESSIONS: intString(3).pipe(z.number().int().min(1)),
	/** Model calls allowed per minute across the deployment (Workers AI allows 300); unset: 300 in production, 6,000 in development. */
	AI_REQUESTS_PER_MINUTE: z.string().regex(/^\d+$/).transform(Number).pipe(z.number().int().min(1)).optional(),
	/** Development only: the admission window's length (60 s in production; tests shorten it). */
	ADMISSION_WINDOW_SECONDS: intString(60).pipe(z.number().int().min(1).max(60)),
	/** Where conversation events are POSTed (CONTRACT §7: escalated, resolved, feedback); unset: nowhere. */
	EVENTS_WEBHOOK_URL: optionalText.pipe(z.url().optional()),
	/** The key of the events' `X-Signature` HMAC; required with EVENTS_WEBHOOK_URL (a development default otherwise). */
	EVENTS_WEBHOOK_SECRET: optionalText,
	/** The key integrators sign user tokens with (CONTRACT §2: HS256 JWTs); a development default otherwise. */
	IDENTITY_SECRET: optionalText,
	/** The integrator's back-office API the assistant's tools call (CONTRACT §8); unset: no profiles and no tools. */
	BACKOFFICE_URL: optionalText.pipe(z.url().optional()),
	/** Sent as `Authorization: Bearer …` to BACKOFFICE_URL, when the integrator's API wants one. */
	BACKOFFICE_TOKEN: optionalText,
	/** Each back-office call's deadline, retries of transient errors included. */
	BACKOFFICE_TIMEOUT_MS: intString(8000).pipe(z.number().int().min(100).max(60_000)),
	/** How long after the last assistant answer (or a handoff) a conversation's outcome is decided (CONTRACT §7: 24 h); tests shorten it. */
	OUTCOME_AFTER_SECONDS: intString(86_400).pipe(z.number().int().min(1)),
	/** Days a session may stay idle before its own alarm erases it; decimals allowed (tests use seconds' worth). */
	SESSION_RETENTION_DAYS: z
		.string()
		.regex(/^\d+(\.\d+)?$/)
		.transform(Number)
		.refine((days) => days > 0, "must be above 0")
		.default(30),
});

export interface Config {
	environment: "development" | "production";
	version: string;
	sessionSecret: string;
	adminToken: string;
	sessionTtlSeconds: number;
	/** MESSAGES_PER_MINUTE: the per-session message limit, counted by the session's hub. */
	messagesPerMinute: number;
	/** Origins besides the Worker's own that may open chat sockets (the widget embedded elsewhere). */
	allowedOrigins: string[];
	/** How long the AI provider may go without sending a chunk (before the first one, or between two). */
	aiTimeoutMs: number;
	/** Whether context-free turns are answered from and into the answer cache (off: every turn asks the model). */
	answerCache: boolean;
	/** Development only (0 in production): see HISTORY_ARCHIVE_PAUSE_MS. */
	archivePauseMs: number;
	/** Development only (60 in production): see METRICS_ROLLUP_SECONDS. */
	metricsRollupSeconds: number;
	/** Development only (1 in production): see ALERT_WINDOW_SCALE. */
	alertWindowScale: number;
	alertWebhookUrl: string | undefined;
	/** Conversation events (CONTRACT §7): where they go and the key they are signed with; undefined: nowhere. */
	eventsWebhook: { url: string; secret: string } | undefined;
	/** The key user tokens are verified with (CONTRACT §2); undefined: this deployment identifies no one. */
	identitySecret: string | undefined;
	/** The integrator's back office (CONTRACT §8), when there is one: profiles and tools need it. */
	backOffice: { url: string; token: string | undefined; timeoutMs: number } | undefined;
	/** OUTCOME_AFTER_SECONDS, in ms: the quiet that decides an assumed outcome. */
	outcomeAfterMs: number;
	/** See WARM_MIN_SESSIONS: the k of the question statistics' k-anonymity. */
	warmMinSessions: number;
	/** How long a session may stay idle before it is erased (SESSION_RETENTION_DAYS). */
	sessionRetentionMs: number;
	/** The admission gate's budget: at most this many model calls in any window (AI_REQUESTS_PER_MINUTE). */
	admission: { requestsPerWindow: number; windowMs: number };
	/**
	 * The provider and its models. A small model (the local one's pacing in `small`) is there only when
	 * AI_ROUTING is "auto" and the provider has one: that is what turns routing on.
	 */
	ai:
		| ({ provider: "local"; small: LocalPacing | undefined } & LocalPacing)
		| { provider: "workers-ai"; model: string; smallModel: string | undefined }
		| { provider: "openai"; baseUrl: string; model: string; smallModel: string | undefined; apiKey: string | undefined };
	/** What each model's tokens cost (AI_MODEL_PRICES, AI_SMALL_MODEL_PRICES): the spend metrics and the bench. */
	aiPrices: { large: ModelPrice; small: ModelPrice };
}

/** Thrown when the deployment is misconfigured; the ingress answers 503. */
export class ConfigError extends Error {
	override readonly name = "ConfigError";
}

/**
 * Validates the env and applies the development defaults, which production refuses.
 * @example parseConfig({ ENVIRONMENT: "development" }).adminToken // "dev-admin-token"
 */
export function parseConfig(env: unknown): Config {
	const parsed = envSchema.safeParse(env);
	if (!parsed.success) {
		throw new ConfigError(`invalid configuration: ${parsed.error.issues.map((i) => i.path.join(".")).join(", ")}`);
	}
	const vars = parsed.data;
	const dev = vars.ENVIRONMENT === "development";
	const sessionSecret = vars.SESSION_SECRET ?? (dev ? DEV_DEFAULTS.sessionSecret : undefined);
	const adminToken = vars.ADMIN_TOKEN ?? (dev ? DEV_DEFAULTS.adminToken : undefined);
	if (!sessionSecret || !adminToken) throw new ConfigError("SESSION_SECRET and ADMIN_TOKEN must be set with `wrangler secret put`");
	if (!dev && (sessionSecret === DEV_DEFAULTS.sessionSecret || adminToken === DEV_DEFAULTS.adminToken)) {
		throw new ConfigError("production refuses the development secrets");
	}
	if (!dev && sessionSecret.length < 32) throw new ConfigError("SESSION_SECRET must be at least 32 characters");
	if (!dev && adminToken.length < 32) throw new ConfigError("ADMIN_TOKEN must be at least 32 characters");
	const identitySecret = vars.IDENTITY_SECRET ?? (dev ? DEV_DEFAULTS.identitySecret : undefined);
	if (!dev && identitySecret === DEV_DEFAULTS.identitySecret) throw new ConfigError("production refuses the development secrets");
	if (!dev && identitySecret !== undefined && identitySecret.length < 32)
		throw new ConfigError("IDENTITY_SECRET must be at least 32 characters");
	const eventsSecret = vars.EVENTS_WEBHOOK_SECRET ?? (dev ? DEV_DEFAULTS.eventsWebhookSecret : undefined);
	if (vars.EVENTS_WEBHOOK_URL && !eventsSecret) throw new ConfigError("EVENTS_WEBHOOK_SECRET must be set with EVENTS_WEBHOOK_URL");
	return {
		environment: vars.ENVIRONMENT,
		version: vars.APP_VERSION,
		sessionSecret,
		adminToken,
		sessionTtlSeconds: vars.SESSION_TTL_SECONDS,
		messagesPerMinute: vars.MESSAGES_PER_MINUTE,
		allowedOrigins: vars.ALLOWED_ORIGINS.split(",")
			.map((o) => o.trim())
			.filter(Boolean),
		aiTimeoutMs: vars.AI_TIMEOUT_MS,
		answerCache: vars.ANSWER_CACHE === "on",
		archivePauseMs: dev ? vars.HISTORY_ARCHIVE_PAUSE_MS : 0,
		metricsRollupSeconds: dev ? vars.METRICS_ROLLUP_SECONDS : 60,
		alertWindowScale: dev ? vars.ALERT_WINDOW_SCALE : 1,
		alertWebhookUrl: vars.ALERT_WEBHOOK_URL,
		eventsWebhook: vars.EVENTS_WEBHOOK_URL && eventsSecret ? { url: vars.EVENTS_WEBHOOK_URL, secret: eventsSecret } : undefined,
		outcomeAfterMs: vars.OUTCOME_AFTER_SECONDS * 1000,
		identitySecret,
		backOffice: vars.BACKOFFICE_URL
			? { url: vars.BACKOFFICE_URL.replace(/\/+$/, ""), token: vars.BACKOFFICE_TOKEN, timeoutMs: vars.BACKOFFICE_TIMEOUT_MS }
			: undefined,
		warmMinSessions: vars.WARM_MIN_SESSIONS,
		sessionRetentionMs: Math.round(vars.SESSION_RETENTION_DAYS * 24 * 60 * 60 * 1000),
		admission: {
			requestsPerWindow: vars.AI_REQUESTS_PER_MINUTE ?? (dev ? 6000 : 300),
			windowMs: (dev ? vars.ADMISSION_WINDOW_SECONDS : 60) * 1000,
		},
		ai: aiConfig(vars),
		aiPrices: { large: vars.AI_MODEL_PRICES, small: vars.AI_SMALL_MODEL_PRICES },
	};
}

function aiConfig(vars: z.infer<typeof envSchema>): Config["ai"] {
	const routing = vars.AI_ROUTING === "auto";
	// A "small" model that is the large one would only add a pointless decline check: that is routing off.
	const small = (model: string | undefined, large: string) => (routing && model && model !== large ? model : undefined);
	switch (vars.AI_PROVIDER) {
		case "local": {
			const pacing = (model: "large" | "small") => localPacing(vars.LOCAL_AI_PROFILE, vars.LOCAL_AI_CHUNK_DELAY_MS, model);
			return { provider: "local", ...pacing("large"), small: routing ? pacing("small") : undefined };
		}
		case "workers-ai":
			return { provider: "workers-ai", model: vars.AI_MODEL, smallModel: small(vars.AI_SMALL_MODEL, vars.AI_MODEL) };
		case "openai":
			if (!vars.OPENAI_BASE_URL || !vars.OPENAI_MODEL) throw new ConfigError("OPENAI_BASE_URL and OPENAI_MODEL must be set");
			return {
				provider: "openai",
				baseUrl: vars.OPENAI_BASE_URL,
				model: vars.OPENAI_MODEL,
				smallModel: small(vars.OPENAI_SMALL_MODEL, vars.OPENAI_MODEL),
				apiKey: vars.OPENAI_API_KEY,
			};
	}
}

const cache = new WeakMap<object, Config>();

/** `parseConfig`, memoized per env object (one per isolate in production). */
export function configOf(env: object): Config {
	let config = cache.get(env);
	if (!config) {
		config = parseConfig(env);
		cache.set(env, config);
	}
	return config;
}
