/** The Hono environment of the ingress: bindings plus per-request variables. */
import type { Config } from "../shared/config";
import type { MetricsRecorder } from "../shared/metrics/recorder";

export interface IngressEnv {
	Bindings: Env;
	Variables: {
		requestId: string;
		config: Config;
		/** This request's metric events, shipped once the response is out. */
		metrics: MetricsRecorder;
	};
}
