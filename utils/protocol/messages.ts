import { defineExtensionMessaging } from '@webext-core/messaging';
import type { Settings, Site, SurveyAnswers, ThoughtLabel } from '../data/records';
import type { CardBinding, CardEvent, PlacedCard, RelayedCardEvent } from './card';
import type { OpenConversation, PageReport, RequestData, StudyRequestData } from './requests';

// The typed protocol between content script, thought prompt, popup, review page and background.
// Only types here, so the content script does not carry the zod schemas that
// utils/requests.ts holds; the background validates every payload against those.


export type RecordMessageResult =
  /**
   * `ask`: whether to prompt for a thought now (snooze, "not in this conversation", frequency).
   * `thenReaction`, for a prompt: whether its reply will be asked about as well.
   */
  | { captured: true; conversationId: string; messageId: number; ask: boolean; thenReaction: boolean }
  /** `off`: recording is not turned on for this site (or, for history, for opened conversations). */
  | { captured: false; reason: 'paused' | 'off' };

export type RecordHistoryResult =
  /** `messageIds[i]` is the message for turn i, or null where its place could not be told. */
  | { captured: true; conversationId: string; messageIds: (number | null)[] }
  | { captured: false; reason: 'paused' | 'off' };

export interface Status {
  paused: boolean;
  /** The sites recording is on for. */
  recording: Settings['recording'];
  conversations: number;
  thoughts: number;
  /** Conversations the participant chatted in whose two task questions are both unanswered. */
  tasksUnanswered: number;
}

export interface CardContext {
  excerpt: string;
  draft: { content: string; label: ThoughtLabel | '' } | null;
  timeoutSeconds: number;
  conversationId: string;
  /** Thoughts already written about this message. */
  thoughts: { id: number; content: string; label: ThoughtLabel | '' }[];
}

export interface TaskContext {
  title: string;
  site: Site | 'import';
  taskSummary: string;
  taskExpectation: string;
  timeoutSeconds: number;
}

export interface SettingsView {
  settings: Settings;
  profile: SurveyAnswers | null;
}

interface BackgroundProtocol {
  recordMessage(data: RequestData<'recordMessage'>): RecordMessageResult;
  recordHistory(data: RequestData<'recordHistory'>): RecordHistoryResult;
  updateConversation(data: RequestData<'updateConversation'>): void;
  saveDraft(data: RequestData<'saveDraft'>): void;
  discardDraft(data: RequestData<'discardDraft'>): void;
  addThought(data: RequestData<'addThought'>): number;
  updateThought(data: RequestData<'updateThought'>): void;
  deleteThought(data: RequestData<'deleteThought'>): void;
  setRedactions(data: RequestData<'setRedactions'>): void;
  redact(data: RequestData<'redact'>): void;
  unredact(data: RequestData<'unredact'>): void;
  rejectSuggestions(data: RequestData<'rejectSuggestions'>): void;
  deleteMessage(data: RequestData<'deleteMessage'>): void;
  deleteConversation(data: RequestData<'deleteConversation'>): void;
  deleteAllData(data: RequestData<'deleteAllData'>): void;
  setReviewState(data: RequestData<'setReviewState'>): void;
  setExcluded(data: RequestData<'setExcluded'>): void;
  updateTask(data: RequestData<'updateTask'>): void;
  setPaused(data: RequestData<'setPaused'>): void;
  startRecording(data: RequestData<'startRecording'>): void;
  updateSettings(data: RequestData<'updateSettings'>): void;
  snooze(data: RequestData<'snooze'>): void;
  setConversationQuiet(data: RequestData<'setConversationQuiet'>): void;
  saveProfile(data: RequestData<'saveProfile'>): void;
  getSettings(): SettingsView;
  importConversations(data: RequestData<'importConversations'>): { imported: number; skipped: number };
  stageImport(data: RequestData<'stageImport'>): void;
  commitImport(data: RequestData<'commitImport'>): { imported: number; skipped: number };
  discardImport(data: RequestData<'discardImport'>): void;
  stageBackup(data: RequestData<'stageBackup'>): void;
  commitBackup(data: RequestData<'commitBackup'>): { imported: number; skipped: number };
  indexSearch(): { queued: number };
  getStatus(): Status;
  getCardContext(data: RequestData<'getCardContext'>): CardContext;
  leftConversation(data: RequestData<'leftConversation'>): boolean;
  taskQuestionsOnReturn(data: RequestData<'taskQuestionsOnReturn'>): string | null;
  getTaskContext(data: RequestData<'getTaskContext'>): TaskContext;
  lookUpStudy(data: StudyRequestData<'lookUpStudy'>): void;
  cancelJoin(): void;
  joinStudy(data: StudyRequestData<'joinStudy'>): void;
  agreeToConsent(data: StudyRequestData<'agreeToConsent'>): void;
  pauseStudy(): void;
  resumeStudy(): void;
  withdrawFromStudy(data: StudyRequestData<'withdrawFromStudy'>): void;
  deleteUploadedData(): void;
  uploadNow(): void;
  /** The prompt card → background, relayed to the content script of the card's tab. */
  cardEvent(data: CardEvent): void;
  /** The prompt card → background: which card this frame shows, naming the id it was handed (null: none). */
  whichCard(data: { card: string }): CardBinding | null;
  /** Content script → background: give the keyboard to the card in its frame `frameId`. */
  focusCard(data: { frameId: number }): void;
}

interface TabProtocol {
  /** Popup → content script of the active tab. */
  getPageReport(): PageReport;
  /** Background (keyboard command) → content script: focus the open thought prompt. */
  focusOpenCard(): boolean;
  /** Background → content script: an event of the card it placed (see `cardEvent`). */
  relayCardEvent(data: RelayedCardEvent): void;
  /** Background → content script: the conversation this tab shows, if any. */
  openConversation(): OpenConversation | null;
  /** Background → content script: the card it placed, if frame `frameId` is its page (or is first to name its id `card`). */
  cardAt(data: { frameId: number; card?: string }): PlacedCard | null;
}

interface CardProtocol {
  /** Background → every extension page; the card bound to this tab and frame takes the keyboard. */
  takeFocus(data: { tabId: number; frameId: number }): void;
}

export type ProtocolMap = BackgroundProtocol & TabProtocol & CardProtocol;

export const { sendMessage, onMessage } = defineExtensionMessaging<ProtocolMap>();
