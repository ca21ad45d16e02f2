/**
 * The sample Brightdesk back office (CONTRACT §8), a Worker of its own: every
 * request goes to its one Accounts object (accounts.ts). It stands in for the
 * integrator's account API in development and tests; the product reaches it
 * only through BACKOFFICE_URL, exactly as it would reach the real one.
 */
import type { BackOfficeEnv } from "./accounts";

export { Accounts } from "./accounts";

export default {
	fetch(request: Request, env: BackOfficeEnv): Promise<Response> {
		return env.ACCOUNTS.get(env.ACCOUNTS.idFromName("brightdesk")).fetch(request);
	},
} satisfies ExportedHandler<BackOfficeEnv>;
