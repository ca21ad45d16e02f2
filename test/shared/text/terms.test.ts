import { describe, expect, it } from "vitest";
import { keywords, stem, terms } from "../../../src/shared/text/terms";

describe("terms", () => {
	it("meet across suffixes", () => {
		expect(stem("charges")).toBe(stem("charged"));
		expect(stem("refunds")).toBe(stem("refunding"));
		expect(stem("cancelled")).toBe(stem("cancel"));
		expect(stem("cancelling")).toBe(stem("cancels"));
		expect(stem("calling")).toBe("call");
		expect(stem("renewal")).toBe(stem("renews"));
		expect(stem("approval")).toBe(stem("approved"));
		expect(stem("annual")).toBe("annual");
		expect(stem("goes")).toBe("go");
	});

	it("drop stopwords and chat fillers, and keep each term once", () => {
		expect(terms("How do I actually get a refund? Refunds, please")).toEqual(["refund"]);
		expect(terms("do a few of them each need one paid seat?")).toEqual(["paid", "seat"]);
	});

	it("fold a user's word onto the one the articles use for the same thing", () => {
		expect(terms("will that log me out?")).toEqual(terms("does that sign me out?"));
		expect(terms("our yearly plan")).toEqual(terms("our annual plan"));
		expect(terms("I logged in")).toContain("sign");
	});

	it("read everyday phrasings as the help center's words, in the search too", () => {
		expect(terms("I need to update the email I log in with")).toEqual(terms("I need to change the email I sign in with"));
		expect(keywords("updated my email")).toEqual(["updated", "change", "email"]);
		expect(terms("what happens when my trial runs out?")).toEqual(terms("what happens when my trial ends?"));
		// Asking for more time is asking for what the articles call an extension ("Brightdesk can extend a trial …").
		expect(terms("can I get more time on the trial?")).toEqual(terms("can I extend the trial?"));
		expect(keywords("any chance of a few extra days?")).toContain("extend");
		expect(terms("how do I move us up to Business?")).toEqual(terms("how do I upgrade to Business?"));
		expect(terms("we might leave, how do I get a full copy of everything?")).toContain("export");
		expect(terms("we might leave, how do I get a full copy of everything?")).not.toContain("copi");
		expect(terms("we switched tools, do we get anything back?")).toContain("refund");
		expect(terms("will you warn me before it renews?")).toEqual(terms("will you remind me before it renews?"));
		// What a plan costs is its price, and is searched so: the pricing article says "priced" and "pricing".
		expect(terms("how much does the Team plan cost?")).toEqual(terms("how much is the Team plan's price?"));
		expect(keywords("what does it cost")).toEqual(["cost", "price"]);
		// What does not show up on another device has not synced; an email that shows up in an inbox has arrived.
		expect(terms("changes on my phone aren't showing up on my laptop")).toContain("sync");
		expect(terms("nothing shows up in my inbox")).not.toContain("sync");
		expect(terms("can we move down to Team?")).toEqual(terms("can we downgrade to Team?"));
		// Who did something in a workspace is what its audit log says; "who" alone is not.
		expect(keywords("someone deleted a project, can I find out who?")).toEqual(expect.arrayContaining(["audit", "log"]));
		expect(terms("Where can I see who changed member roles?")).toEqual(expect.arrayContaining(["audit", "log"]));
		expect(terms("who is my account manager?")).not.toContain("audit");
		expect(terms("do you back up our data?")).toEqual(["backup", "data"]);
		expect(terms("is my data backed up?")).toEqual(["data", "backup"]);
		// A site that is back up is running again.
		expect(terms("is the site back up?")).not.toContain("backup");
		expect(terms("I've requested a reset link like 3 times and nothing shows up in my inbox")).toEqual(
			terms("I requested a reset link and nothing arrives in my email"),
		);
		expect(keywords("nothing in my inbox")).toEqual(["inbox", "email"]);
		expect(terms("can i hook brightdesk up to zapier?")).toEqual(terms("can i connect brightdesk to zapier?"));
		expect(terms("changed my mind, can I call it off?")).toEqual(terms("can I cancel it?"));
		// A phone the user works on is the mobile app; a phone number is not.
		expect(terms("stuff I change on my phone isn't syncing")).toContain("mobil");
		expect(terms("the iphone app keeps crashing")).toContain("mobil");
		expect(terms("can I call your phone support?")).not.toContain("mobil");
		expect(terms("if our workspace goes down")).toEqual(terms("if our workspace go down"));
		// A stopword's other forms are stopwords too: "gets" names nothing "get" does not.
		expect(terms("and if it never gets paid, do you delete our stuff?")).toEqual(["paid", "delet"]);
		expect(terms("we called the rollout off")).toEqual(terms("we cancel the rollout"));
		for (const spelling of ["2fa", "2 factor", "MFA", "2-step verification"])
			expect(terms(`turn on ${spelling}`)).toEqual(terms("turn on two-factor 2FA"));
		// The articles say "2FA" too: it is still searched.
		expect(keywords("how do I set up 2 factor")).toContain("2fa");
		expect(terms("a 2-step process")).not.toContain("factor");
		// What a contraction leaves matches nothing in particular: "we're" searched "re" and found an article saying "we're".
		expect(keywords("we're moving, isn't that fine?")).toEqual(["moving"]);
	});

	it("drop people's pronouns and idioms whose words mean nothing alone", () => {
		expect(terms("my coworker is on outlook, can she do the same?")).toEqual(terms("my coworker is on outlook, can do the same?"));
		expect(terms("can i undo it if i change my mind?")).toEqual(["undo"]);
		expect(terms("is that on purpose?")).toEqual([]);
		expect(terms("our company uses okta, does that change anything?")).toEqual(["compani", "use", "okta"]);
		// Only the idiom: changing something on an invoice is still a change.
		expect(terms("can I change anything on an invoice?")).toContain("chang");
		// Only the idiom: changing an email is still a change.
		expect(terms("can I change my email?")).toEqual(["chang", "email"]);
	});

	it("leave words that only look alike apart", () => {
		expect(terms("who is in the audit log?")).toEqual(["audit", "log"]);
		expect(terms("a blog post")).not.toContain("sign");
	});
});
