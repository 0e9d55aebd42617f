// What the review page's parts share: how dates and counts read, how buttons and fields look.

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatDate = (iso: string) => dateFormat.format(new Date(iso));

export const button =
  'rounded-lg px-3 py-1.5 text-sm focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none disabled:opacity-50';
export const primary = `${button} bg-indigo-600 font-medium text-white hover:bg-indigo-700`;
export const quiet = `${button} text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800`;
export const danger = `${button} text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950`;

export const field =
  'rounded-lg border border-zinc-300 bg-white px-2 py-1.5 text-sm text-zinc-900 focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100';

const countFormat = new Intl.NumberFormat();
export const formatCount = (count: number) => countFormat.format(count);
