/** The agents' console's words for the contract's values (CONTRACT §7), kept apart from the DOM code. */
import type { Assignee, Conversation, ConversationUser, Message } from "../sdk";

const REASONS: Record<NonNullable<Conversation["reason"]>, string> = {
	user_request: "asked for a person",
	bot_declined: "the assistant could not answer",
	negative_feedback: "marked an answer unhelpful",
	other: "taken over by an agent",
};

const STATUSES: Record<Conversation["status"], string> = {
	escalated: "Waiting for a person",
	open: "With the assistant",
	closed: "Resolved",
};

/**
 * A duration in the words a queue needs, coarse on purpose (it is redrawn every few seconds).
 * @example ageLabel(150_000) // "2 min"
 */
export function ageLabel(ms: number): string {
	const minutes = Math.floor(Math.max(0, ms) / 60_000);
	if (minutes < 1) return "under a minute";
	if (minutes < 60) return `${minutes} min`;
	const hours = Math.floor(minutes / 60);
	if (hours < 48) return `${hours} h ${minutes % 60} min`;
	return `${Math.floor(hours / 24)} days`;
}

/** What `since` means depends on the status: when it was escalated, opened or resolved. */
export function sinceLabel(conversation: Pick<Conversation, "status" | "since">, now = Date.now()): string {
	const age = ageLabel(now - Date.parse(conversation.since));
	if (conversation.status === "escalated") return `Waiting ${age}`;
	if (conversation.status === "open") return `Open ${age}`;
	return `Resolved ${age} ago`;
}

export function reasonLabel(reason: Conversation["reason"]): string {
	return reason ? `Reason: ${REASONS[reason]}` : "Never handed to a person";
}

/** A conversation's status; an escalated one an agent holds is no longer waiting. */
export function statusLabel(conversation: Pick<Conversation, "status" | "assignee">): string {
	if (conversation.status === "escalated" && conversation.assignee) return "With an agent";
	return STATUSES[conversation.status];
}

/** Who holds it, from this agent's point of view (`me` is known once they have claimed something). */
export function assigneeLabel(assignee: Assignee | null, me: Assignee | null): string {
	if (!assignee) return "Unassigned";
	return assignee.agentId === me?.agentId ? "Held by you" : `Held by ${assignee.name}`;
}

export function userLabel(user: ConversationUser | null): string {
	if (!user) return "Anonymous visitor";
	return user.name ? `${user.name} (${user.id})` : user.id;
}

/** Who wrote a message, as an agent reads the transcript. */
export function authorLabel(message: Pick<Message, "role" | "author">): string {
	switch (message.role) {
		case "user":
			return "Visitor";
		case "assistant":
			return "Assistant";
		case "agent":
			return message.author ? `${message.author.name} (agent)` : "Agent";
		case "system":
			return "Notice";
	}
}

/**
 * The start of a message, on one line, for the queue.
 * @example excerpt("Hello\n  there", 8) // "Hello t…"
 */
export function excerpt(text: string, max = 90): string {
	const line = text.replace(/\s+/g, " ").trim();
	return line.length <= max ? line : `${line.slice(0, max - 1).trimEnd()}…`;
}
