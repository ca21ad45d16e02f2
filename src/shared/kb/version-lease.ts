/**
 * How long an isolate may use a knowledge-base version it read, counted from
 * the moment it asked (turn/kb-search-store.ts), and how long an edit waits
 * before it returns (KnowledgeBase.put and delete). The wait is longer than
 * the lease, so when an edit returns no isolate still uses a version from
 * before it: an edit that has returned is always reflected, and a busy
 * isolate asks the knowledge base once per lease instead of once per turn.
 * Both are durations on one machine's clock each, so clock skew between
 * machines does not enter; the margin covers timer slack.
 */
export const KB_VERSION_LEASE_MS = 500;
export const KB_EDIT_SETTLE_MS = KB_VERSION_LEASE_MS + 50;
