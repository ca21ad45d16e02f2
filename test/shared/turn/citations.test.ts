import { expect, it } from "vitest";
import { citationsFor } from "../../../src/shared/turn/citations";

const sources = [
	{ id: "a", title: "A", url: "https://help.example/a", body: "" },
	{ id: "b", title: "B", body: "" },
];

it("cites each referenced article once, in order of first mention", () => {
	expect(citationsFor("See [2], then [1] and [2] again.", sources)).toEqual([
		{ id: "b", title: "B" },
		{ id: "a", title: "A", url: "https://help.example/a" },
	]);
});

it("ignores markers that point at no article", () => {
	expect(citationsFor("See [7] and [0].", sources)).toEqual([]);
});
