/** The Hono environment of the ingress: bindings plus per-request variables. */
import type { Config } from "../shared/config";

export interface IngressEnv {
	Bindings: Env;
	Variables: {
		requestId: string;
		config: Config;
	};
}
