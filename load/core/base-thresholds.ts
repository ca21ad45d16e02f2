/** The thresholds every scenario holds the product to. */
export const BASE_THRESHOLDS: Record<string, string[]> = {
	// POST → the sender's own `message` echo on its socket.
	wsPush: ["p(95)<200"],
	// POST → 202 (each accept is a Durable Object operation) and transcript GETs.
	doOps: ["p(95)<1000"],
	// POST → the final reply that lists the message in `replyTo`.
	aiResponse: ["p(95)<5000"],
	// Non-2xx, timeouts and socket failures over all requests.
	errors: ["rate<0.05"],
	// End-of-run audit of every session's transcript (auditTranscript).
	lost: ["count==0"],
	duplicated: ["count==0"],
	gaps: ["count==0"],
	// Committed messages that none of a finished session's sockets received (replay included).
	undelivered: ["count==0"],
	// Messages a session's sockets received more than once, across reconnects.
	redelivered: ["count==0"],
	// Sessions whose transcript could not be fetched: unaudited means unproven.
	unaudited: ["count==0"],
};
