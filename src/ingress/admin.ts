/**
 * Everything under `/api/admin`, behind one check of the admin token: a
 * route mounted here is protected without having to remember it, and one
 * mounted anywhere else is not admin. The development-only routes answer 404
 * outside development ahead of that check, so they cannot even be probed.
 */
import { Hono, type MiddlewareHandler } from "hono";
import { HttpProblem } from "../shared/problem";
import { authorizeAdmin } from "./auth";
import type { IngressEnv } from "./env";
import { adminSessions } from "./routes/admin-sessions";
import { agentsAdmin } from "./routes/agents-admin";
import { dashboardData } from "./routes/dashboard-data";
import { faults } from "./routes/faults";
import { kbAdmin } from "./routes/knowledge-base";
import { metricsHistory } from "./routes/metrics-history";
import { usersAdmin } from "./routes/users-admin";
import { warm } from "./routes/warm";

/** Mounted under this prefix by the app. */
export const ADMIN_PREFIX = "/api/admin";

/** Not in the contract: the fault switch and the metrics synthesis exist only in development. */
const DEVELOPMENT_ONLY = ["/faults", "/faults/*", "/metrics/synthetic", "/metrics/synthetic/*"];

const developmentOnly: MiddlewareHandler<IngressEnv> = async (c, next) => {
	if (c.get("config").environment !== "development") throw new HttpProblem(404, "No such resource.");
	await next();
};

export const admin = new Hono<IngressEnv>();

for (const path of DEVELOPMENT_ONLY) admin.use(path, developmentOnly);
admin.use(async (c, next) => {
	await authorizeAdmin(c);
	await next();
});

admin.route("/kb/articles", kbAdmin);
admin.route("/faults", faults);
admin.route("/sessions", adminSessions);
admin.route("/agents", agentsAdmin);
admin.route("/users", usersAdmin);
admin.route("/metrics/synthetic", metricsHistory);
admin.route("/metrics", dashboardData);
admin.route("/", warm);
