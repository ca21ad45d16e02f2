/** The sample accounts of CONTRACT §8's table: read-only, so a restart or a test never changes them. */

export interface SampleInvoice {
	id: string;
	date: string;
	amountCents: number;
	status: "paid" | "payment_failed";
	/** Why a payment failed, as the payment processor said. */
	failureReason?: string;
}

export interface SampleAccount {
	id: string;
	name: string;
	email: string;
	plan: string;
	billingCycle: "annual" | "monthly";
	renewsOn: string;
	seats: number;
	card: string;
	invoices: SampleInvoice[];
}

export const ACCOUNTS: Readonly<Record<string, SampleAccount>> = {
	usr_ada: {
		id: "usr_ada",
		name: "Ada Lovelace",
		email: "ada@example.com",
		plan: "Pro",
		billingCycle: "annual",
		renewsOn: "2027-03-14",
		seats: 5,
		card: "Visa ending in 4242",
		invoices: [{ id: "INV-1001", date: "2026-03-14", amountCents: 48_000, status: "paid" }],
	},
	usr_grace: {
		id: "usr_grace",
		name: "Grace Hopper",
		email: "grace@example.com",
		plan: "Business",
		billingCycle: "monthly",
		renewsOn: "2026-12-20",
		seats: 25,
		card: "Mastercard ending in 5454",
		invoices: [
			{ id: "INV-2001", date: "2026-10-20", amountCents: 62_500, status: "paid" },
			{
				id: "INV-2002",
				date: "2026-11-20",
				amountCents: 62_500,
				status: "payment_failed",
				failureReason: "the card was declined because it has expired",
			},
		],
	},
};

/** @example dollars(48_000) // "$480.00" */
export function dollars(cents: number): string {
	return `$${(cents / 100).toFixed(2)}`;
}

/** `GET /users/:id/subscription`'s answer. */
export function subscriptionOf(account: SampleAccount) {
	const latest = account.invoices.at(-1);
	return {
		plan: account.plan,
		billingCycle: account.billingCycle,
		status: latest?.status === "payment_failed" ? "past_due" : "active",
		renewsOn: account.renewsOn,
		seats: account.seats,
		price: `${dollars(latest?.amountCents ?? 0)} per ${account.billingCycle === "annual" ? "year" : "month"}`,
		paymentMethod: account.card,
	};
}

/** `GET /users/:id/invoices`'s list, with `refunded` the invoices refunded so far. */
export function invoicesOf(account: SampleAccount, refunded: ReadonlySet<string>) {
	return account.invoices.map((invoice) => ({
		id: invoice.id,
		date: invoice.date,
		amount: dollars(invoice.amountCents),
		status: refunded.has(invoice.id) ? "refunded" : invoice.status,
		...(invoice.failureReason ? { failureReason: invoice.failureReason } : {}),
	}));
}
