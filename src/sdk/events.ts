/**
 * The connection's events, typed: one small emitter instead of a callback
 * option per event, so the widget, the tests and the load tool each
 * subscribe to what they need.
 */
import type { ConfirmFrame, InvalidFrame, Message, ServerFrame, StatusFrame } from "./frames";
import type { StreamingReply } from "./transcript";

/** Where a connection is: what the `state` event reports. */
export type ConnectionState =
	| { kind: "connecting" }
	| { kind: "connected" }
	| { kind: "reconnecting"; at: number }
	| { kind: "offline" }
	/** Stopped, or dropped with `reconnect: false`. */
	| { kind: "closed" };

export interface ConnectionEventMap {
	/** Every valid server frame, in arrival order, before any bookkeeping drops it (a duplicate still shows here). */
	frame: ServerFrame;
	/** A frame outside the contract (not JSON, unknown type, wrong field): reported, then ignored. */
	invalid: InvalidFrame;
	/** A committed message seen for the first time (deduplicated by seq). */
	message: Message;
	/** A streaming reply grew: its whole text so far, merged from deltas by offset. */
	reply: StreamingReply;
	/** A turn's progress. */
	status: StatusFrame;
	/** The assistant asks the user to approve a back-office write (CONTRACT §8); answer with `ChatApi.confirm`. */
	confirm: ConfirmFrame;
	state: ConnectionState;
	/** Something the user should be told (a refused or delayed send). */
	notice: string;
	close: { code: number; reason: string };
	/** Anything visible changed: for renderers that redraw from `transcript` and `outbox`. */
	change: undefined;
}

export type Listener<K extends keyof ConnectionEventMap> = (value: ConnectionEventMap[K]) => void;

export interface Emitter {
	on<K extends keyof ConnectionEventMap>(type: K, listener: Listener<K>): () => void;
}

export class ConnectionEvents implements Emitter {
	readonly #listeners: { [K in keyof ConnectionEventMap]: Set<Listener<K>> } = {
		frame: new Set(),
		invalid: new Set(),
		message: new Set(),
		reply: new Set(),
		status: new Set(),
		confirm: new Set(),
		state: new Set(),
		notice: new Set(),
		close: new Set(),
		change: new Set(),
	};

	on<K extends keyof ConnectionEventMap>(type: K, listener: Listener<K>): () => void {
		const set = this.#listeners[type];
		set.add(listener);
		return () => void set.delete(listener);
	}

	emit<K extends keyof ConnectionEventMap>(type: K, value: ConnectionEventMap[K]): void {
		// A copy: a listener may unsubscribe itself (`ready()` does).
		for (const listener of [...this.#listeners[type]]) listener(value);
	}
}
