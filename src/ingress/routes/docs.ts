/**
 * `GET /api/openapi.json` and `GET /api/docs` (CONTRACT §6): the OpenAPI
 * document and a page that renders it. Both are public: the contract marks
 * admin-only routes "(admin)" and does not mark these, and the document
 * holds nothing secret (it describes the admin routes, not their token).
 *
 * The page runs Scalar's API reference from this origin
 * (/vendor/scalar-api-reference.js, copied from the npm package into
 * public/ by `npm run build:client`): the default CDN would be a third party
 * on an operators' page, and unreachable offline.
 */
import { Scalar } from "@scalar/hono-api-reference";
import { Hono } from "hono";
import type { IngressEnv } from "../env";
import { openApiJson } from "../openapi/document";

export const SCALAR_BUNDLE_PATH = "/vendor/scalar-api-reference.js";

export const docs = new Hono<IngressEnv>();

docs.get("/openapi.json", (c) =>
	c.body(openApiJson(c.get("config").version), 200, { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-cache" }),
);

docs.get(
	"/docs",
	Scalar({
		url: "/api/openapi.json",
		cdn: SCALAR_BUNDLE_PATH,
		pageTitle: "Support chat API",
		// Its default fonts come from Scalar's servers; the system fonts load nothing.
		withDefaultFonts: false,
		// Off: features that talk to Scalar's services (its AI agent, MCP and SDK generation, telemetry).
		agent: { disabled: true },
		mcp: { disabled: true },
		showDeveloperTools: "never",
		telemetry: false,
	}),
);
