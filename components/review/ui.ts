// What the review page's parts share: how dates read and how buttons look.

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export const formatDate = (iso: string) => dateFormat.format(new Date(iso));

export const button =
  'rounded-lg px-3 py-1.5 text-sm focus-visible:ring-2 focus-visible:ring-indigo-400 focus-visible:outline-none disabled:opacity-50';
export const primary = `${button} bg-indigo-600 font-medium text-white hover:bg-indigo-700`;
export const quiet = `${button} text-zinc-700 hover:bg-zinc-100 dark:text-zinc-200 dark:hover:bg-zinc-800`;
export const danger = `${button} text-red-700 hover:bg-red-50 dark:text-red-300 dark:hover:bg-red-950`;

