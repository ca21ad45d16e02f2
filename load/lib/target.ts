/**
 * Where load goes. Loopback only unless the operator says otherwise with
 * `--allow-remote`: a load run against someone else's host is an attack.
 */

const LOOPBACK = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

export function isLoopback(url: string): boolean {
	const host = new URL(url).hostname;
	return LOOPBACK.has(host) || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** Throws unless the target is loopback or remote targets were explicitly allowed. */
export function checkTarget(url: string, allowRemote: boolean): void {
	if (!isLoopback(url) && !allowRemote) {
		throw new Error(`refusing to send load to ${new URL(url).host}: only loopback targets are allowed without --allow-remote`);
	}
}
