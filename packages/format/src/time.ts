import { z } from 'zod';

/** ISO 8601 with a UTC designator or numeric offset, as the dataset writes it. */
export const isoTimestampSchema = z.iso.datetime({ offset: true, local: false });

/** UTC with an explicit offset, as the release writes conversation times. */
export const isoWithOffset = (date: Date) => date.toISOString().replace('Z', '+00:00');
