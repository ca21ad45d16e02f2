/**
 * The Alertmanager webhook payload (version 4) for one alert transition,
 * so any receiver that takes Alertmanager's webhooks (PagerDuty, Opsgenie,
 * Slack bridges, a custom service) takes ours.
 */
import { fnv1a } from "../hash";

export interface Transition {
	rule: string;
	severity: string;
	state: "firing" | "resolved";
	/** When the rule started firing (ISO). */
	startsAt: string;
	/** When it resolved (ISO), for `resolved`. */
	endsAt?: string;
	value: number;
	threshold: number;
	summary: string;
}

/** Alertmanager's "zero time": an alert still firing has no end. */
const ZERO_TIME = "0001-01-01T00:00:00Z";

/**
 * @example alertmanagerPayload(t, "https://chat.example.com").alerts[0].labels.alertname // "error_rate"
 */
export function alertmanagerPayload(t: Transition, externalUrl: string) {
	const labels = { alertname: t.rule, severity: t.severity, service: "support-chat" };
	const annotations = { summary: t.summary, value: String(t.value), threshold: String(t.threshold) };
	return {
		version: "4",
		groupKey: `{}:{alertname="${t.rule}"}`,
		truncatedAlerts: 0,
		status: t.state,
		receiver: "support-chat",
		groupLabels: { alertname: t.rule },
		commonLabels: labels,
		commonAnnotations: annotations,
		externalURL: externalUrl,
		alerts: [
			{
				status: t.state,
				labels,
				annotations,
				startsAt: t.startsAt,
				endsAt: t.state === "resolved" ? (t.endsAt ?? ZERO_TIME) : ZERO_TIME,
				generatorURL: `${externalUrl}/dashboard`,
				fingerprint: fingerprint(t.rule),
			},
		],
	};
}

/** A stable 16-hex-digit id per rule, as Alertmanager gives each label set. */
function fingerprint(rule: string): string {
	const hex = (n: number) => n.toString(16).padStart(8, "0");
	return `${hex(fnv1a(rule))}${hex(fnv1a(rule, 0x01000193))}`;
}
