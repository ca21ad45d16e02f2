/**
 * A provider stream that does its wrapper's work before the first chunk (the
 * fault switch's verdict, a place in the admission line) and then hands the
 * caller the inner stream's own results. The wrappers were async generators
 * re-yielding every chunk, and each such layer cost every chunk a generator
 * resume with its promises and microtasks: four layers in development, on a
 * reply of dozens of chunks (docs/benchmarks.md, "Tenth round").
 */

/** What a wrapper's work before the first chunk leaves: the inner stream, and its first result if the work had to read it. */
export interface Opened {
	chunks: AsyncIterator<string>;
	first?: IteratorResult<string>;
}

/** A stream that ended before it began (the caller stopped while the wrapper was still at work). */
export const NO_CHUNKS: AsyncIterator<string> = { next: async () => ({ done: true, value: undefined }) };

/**
 * `open` runs at the first `next()`, as an async generator's body would; its error is the stream's.
 * @example openedStream(async () => ({ chunks: provider.stream(request)[Symbol.asyncIterator]() }))
 */
export function openedStream(open: () => Promise<Opened>): AsyncIterableIterator<string> {
	return new OpenedStream(open);
}

class OpenedStream implements AsyncIterableIterator<string> {
	readonly #open: () => Promise<Opened>;
	#chunks: AsyncIterator<string> | undefined;

	constructor(open: () => Promise<Opened>) {
		this.#open = open;
	}

	[Symbol.asyncIterator](): this {
		return this;
	}

	next(): Promise<IteratorResult<string>> {
		return this.#chunks ? this.#chunks.next() : this.#first();
	}

	async return(value?: unknown): Promise<IteratorResult<string>> {
		const chunks = this.#chunks;
		this.#chunks = NO_CHUNKS;
		return (await chunks?.return?.(value)) ?? { done: true, value: undefined };
	}

	async #first(): Promise<IteratorResult<string>> {
		const { chunks, first } = await this.#open();
		this.#chunks = chunks;
		return first ?? chunks.next();
	}
}
