import { definePlugin } from 'jovian/sdk';

export interface Quote {
  readonly text: string;
  readonly author: string;
}

const QUOTES: readonly Quote[] = [
  { text: 'Simplicity is prerequisite for reliability.', author: 'Edsger W. Dijkstra' },
  { text: 'Make it work, make it right, make it fast.', author: 'Kent Beck' },
  { text: 'The best way to predict the future is to invent it.', author: 'Alan Kay' },
  { text: 'Programs must be written for people to read.', author: 'Harold Abelson' },
];

let served = 0;

/** The API other plugins get from `ctx.plugins.get('quotes')`. */
export const api = {
  /** The quote of the given day of the year (any integer), so a digest is stable for a day. */
  forDay(day: number): Quote {
    served++;
    return QUOTES[((day % QUOTES.length) + QUOTES.length) % QUOTES.length]!;
  },
  count(): number {
    return QUOTES.length;
  },
};

export type QuotesApi = typeof api;

/** The day of the year, 1 to 366, in the host's time zone. */
function dayOfYear(now: Date): number {
  return Math.floor((now.getTime() - new Date(now.getFullYear(), 0, 0).getTime()) / 86_400_000);
}

export default definePlugin({
  async activate(ctx) {
    // The dashboard widget's data: `GET /api/x/quotes/today`.
    await ctx.contributions.registerRoute('GET', '/today', () => api.forDay(dayOfYear(new Date())));
  },
  api,
  metrics: () => ({ served }),
  run: (input: { day?: number }) => api.forDay(input.day ?? 0),
});
