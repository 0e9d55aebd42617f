import { z } from 'zod';

// The ThoughtTrace taxonomy (CONTRACTS.md section 1). Display names and descriptions are UI text
// and live with the extension's translations, not here.

export const REASON_LABELS = [
  'task_motivation',
  'context_grounding_and_constraints',
  'content_expectation',
  'style_expectation',
  'task_continuation',
  'task_reorientation',
  'social_and_others',
] as const;

export const REACTION_LABELS = [
  'explicit_affirmation',
  'content_relevance',
  'presentation_style',
  'scope_fit',
  'partial_satisfaction',
] as const;

export const reasonLabelSchema = z.enum(REASON_LABELS);
export const reactionLabelSchema = z.enum(REACTION_LABELS);
export const thoughtLabelSchema = z.enum([...REASON_LABELS, ...REACTION_LABELS]);
export type ReasonLabel = z.infer<typeof reasonLabelSchema>;
export type ReactionLabel = z.infer<typeof reactionLabelSchema>;
export type ThoughtLabel = z.infer<typeof thoughtLabelSchema>;
