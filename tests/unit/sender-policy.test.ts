import { describe, expect, it } from 'vitest';
import { backgroundRequests, studyRequests } from '../../utils/protocol/requests';
import { authorize, cardMay, ForbiddenRequestError, senderRole, type Sender } from '../../utils/background/sender-policy';

const ID = 'mffniebinlnagnnbfbbimmhnpelnigan';
const ORIGIN = `chrome-extension://${ID}`;
const role = (sender: Sender) => senderRole(sender, ID, `${ORIGIN}/`);

const chatgptTab: Sender = { id: ID, url: 'https://chatgpt.com/c/1', tab: { id: 4 }, frameId: 0 };
const cardFrame: Sender = { id: ID, url: `${ORIGIN}/card.html?theme=dark`, tab: { id: 4 }, frameId: 9 };
const reviewPage: Sender = { id: ID, url: `${ORIGIN}/review.html#settings`, tab: { id: 5 }, frameId: 0 };
const popup: Sender = { id: ID, url: `${ORIGIN}/popup.html` };

const allowed = (sender: Sender, type: string, data?: unknown) => {
  try {
    authorize(role(sender)!, type, data);
    return true;
  } catch (error) {
    expect(error).toBeInstanceOf(ForbiddenRequestError);
    return false;
  }
};

describe('who a sender is', () => {
  it('tells content scripts on each chat site, cards in frames and extension pages apart', () => {
    expect(role(chatgptTab)).toEqual({ role: 'content', site: 'chatgpt', tabId: 4 });
    expect(role({ ...chatgptTab, url: 'https://claude.ai/chat/x' })).toEqual({ role: 'content', site: 'claude', tabId: 4 });
    expect(role({ ...chatgptTab, url: 'https://gemini.google.com/app/abc' })).toEqual({ role: 'content', site: 'gemini', tabId: 4 });
    expect(role(cardFrame)).toEqual({ role: 'card', tabId: 4, frameId: 9 });
    expect(role(reviewPage)).toEqual({ role: 'page' });
    expect(role(popup)).toEqual({ role: 'page' });
  });

  it('knows nobody else', () => {
    // Another extension, or no id at all.
    expect(role({ ...reviewPage, id: 'another-extension' })).toBeNull();
    expect(role({ ...chatgptTab, id: undefined })).toBeNull();
    // Other sites, look-alike hosts, plain http, a subframe of a chat page.
    expect(role({ ...chatgptTab, url: 'https://evil.example/c/1' })).toBeNull();
    expect(role({ ...chatgptTab, url: 'https://chatgpt.com.evil.example/' })).toBeNull();
    expect(role({ ...chatgptTab, url: 'http://chatgpt.com/' })).toBeNull();
    expect(role({ ...chatgptTab, frameId: 3 })).toBeNull();
    expect(role({ ...chatgptTab, url: 'not a url' })).toBeNull();
    expect(role({ ...chatgptTab, url: undefined })).toBeNull();
    // The card page as a tab of its own, or at another extension's origin.
    expect(role({ ...cardFrame, frameId: 0 })).toBeNull();
    expect(role({ ...cardFrame, tab: undefined })).toBeNull();
    expect(role({ ...cardFrame, url: 'chrome-extension://otherextensionid/card.html' })).toBeNull();
  });
});

describe('what content scripts may ask', () => {
  it('capture for their own site, the task questions and their card’s focus', () => {
    expect(allowed(chatgptTab, 'recordMessage', { site: 'chatgpt' })).toBe(true);
    expect(allowed(chatgptTab, 'recordHistory', { site: 'chatgpt' })).toBe(true);
    expect(allowed(chatgptTab, 'taskQuestionsOnReturn', { site: 'chatgpt' })).toBe(true);
    expect(allowed(chatgptTab, 'recordHistory', { site: 'claude' })).toBe(false);
    for (const type of ['updateConversation', 'leftConversation', 'focusCard']) expect(allowed(chatgptTab, type, {})).toBe(true);
  });

  it('never about a conversation of another site, nor an imported one', () => {
    const about = (site: 'chatgpt' | 'claude' | 'import' | null) => {
      try {
        authorize(role(chatgptTab)!, 'updateConversation', { conversationId: 'c' }, site);
        return true;
      } catch (error) {
        expect(error).toBeInstanceOf(ForbiddenRequestError);
        return false;
      }
    };
    expect(about('chatgpt')).toBe(true);
    // Not stored yet: the store says so in its own words.
    expect(about(null)).toBe(true);
    expect(about('claude')).toBe(false);
    expect(about('import')).toBe(false);
  });

  it('never for another site', () => {
    expect(allowed(chatgptTab, 'recordMessage', { site: 'claude' })).toBe(false);
    expect(allowed(chatgptTab, 'recordHistory', { site: 'gemini' })).toBe(false);
    expect(allowed(chatgptTab, 'taskQuestionsOnReturn', { site: 'claude' })).toBe(false);
    expect(allowed(chatgptTab, 'recordMessage', {})).toBe(false);
    expect(allowed(chatgptTab, 'recordMessage', null)).toBe(false);
  });

  it('nothing that reads or changes thoughts, settings or the profile', () => {
    const capture = new Set(['recordMessage', 'recordHistory', 'updateConversation', 'leftConversation', 'taskQuestionsOnReturn']);
    for (const type of Object.keys(backgroundRequests).filter((t) => !capture.has(t))) {
      expect(allowed(chatgptTab, type, { site: 'chatgpt' }), type).toBe(false);
    }
    expect(allowed(chatgptTab, 'whichCard', { site: 'chatgpt' })).toBe(false);
    expect(allowed(chatgptTab, 'cardEvent', { site: 'chatgpt' })).toBe(false);
  });
});

describe('what extension pages may ask', () => {
  it('everything the review page and popup do, nothing a chat page or card does', () => {
    for (const type of ['getSettings', 'saveProfile', 'importConversations', 'deleteConversation', 'deleteThought', 'updateThought', 'getStatus', 'setPaused', 'saveDraft', 'addThought', 'updateTask', 'deleteMessage', 'redact', 'unredact', 'rejectSuggestions', 'setExcluded', 'setReviewState', 'stageBackup', 'commitBackup', 'discardImport', 'indexSearch']) {
      expect(allowed(reviewPage, type), type).toBe(true);
      expect(allowed(popup, type), type).toBe(true);
    }
    for (const type of ['recordMessage', 'recordHistory', 'focusCard', 'whichCard', 'cardEvent']) expect(allowed(reviewPage, type, { site: 'chatgpt' }), type).toBe(false);
  });
});

describe('what a card may ask', () => {
  const reason = { kind: 'reason', messageId: 12 } as const;
  const task = { kind: 'task', conversationId: 'conv-1' } as const;

  it('about its own message only', () => {
    for (const type of ['getCardContext', 'saveDraft', 'discardDraft', 'addThought']) {
      expect(cardMay(reason, 'conv-1', type, { messageId: 12, kind: 'reason' }), type).toBe(true);
      expect(cardMay(reason, 'conv-1', type, { messageId: 13, kind: 'reason' }), type).toBe(false);
      expect(cardMay(reason, 'conv-1', type, { messageId: 12, kind: 'reaction' }), type).toBe(false);
      expect(cardMay(task, 'conv-1', type, { messageId: 12, kind: 'reason' }), type).toBe(false);
    }
    expect(cardMay({ kind: 'waiting', messageId: 12 }, 'conv-1', 'getCardContext', { messageId: 12, kind: 'waiting' })).toBe(false);
  });

  it('about its own conversation only', () => {
    expect(cardMay(reason, 'conv-1', 'setConversationQuiet', { conversationId: 'conv-1', quiet: true })).toBe(true);
    expect(cardMay(reason, 'conv-1', 'setConversationQuiet', { conversationId: 'conv-2', quiet: true })).toBe(false);
    // A message the store does not know has no conversation to act on.
    expect(cardMay(reason, null, 'setConversationQuiet', { conversationId: 'conv-1', quiet: true })).toBe(false);
    for (const type of ['getTaskContext', 'updateTask']) {
      expect(cardMay(task, 'conv-1', type, { conversationId: 'conv-1' }), type).toBe(true);
      expect(cardMay(task, 'conv-1', type, { conversationId: 'conv-2' }), type).toBe(false);
      expect(cardMay(reason, 'conv-1', type, { conversationId: 'conv-1' }), type).toBe(false);
    }
  });

  it('asking less, but no other setting', () => {
    expect(cardMay(reason, 'conv-1', 'snooze', { minutes: 60 })).toBe(true);
    expect(cardMay(reason, 'conv-1', 'updateSettings', { ask: 'reactions' })).toBe(true);
    expect(cardMay(reason, 'conv-1', 'updateSettings', { everyNth: 3 })).toBe(true);
    expect(cardMay(task, 'conv-1', 'updateSettings', { askTask: false })).toBe(true);
    expect(cardMay(reason, 'conv-1', 'updateSettings', { cardTimeoutSeconds: 3600 })).toBe(false);
    expect(cardMay(reason, 'conv-1', 'updateSettings', { ask: 'both', cardTimeoutSeconds: 5 })).toBe(false);
    expect(cardMay(reason, 'conv-1', 'updateSettings', null)).toBe(false);
    // The "always redact" list holds the participant's name: a card neither reads nor sets it.
    expect(cardMay(reason, 'conv-1', 'updateSettings', { alwaysRedact: [] })).toBe(false);
  });

  it('nothing that reads or deletes other thoughts, settings, the profile, or captures', () => {
    for (const type of ['getSettings', 'getStatus', 'saveProfile', 'importConversations', 'deleteConversation', 'deleteThought', 'updateThought', 'setPaused', 'recordMessage', 'recordHistory', 'updateConversation', 'leftConversation', 'taskQuestionsOnReturn', 'focusCard', 'deleteMessage', 'redact', 'unredact', 'rejectSuggestions', 'setRedactions', 'setExcluded', 'setReviewState', 'stageBackup', 'commitBackup', 'indexSearch']) {
      expect(cardMay(reason, 'conv-1', type, { conversationId: 'conv-1', messageId: 12, kind: 'reason', site: 'chatgpt' }), type).toBe(false);
    }
  });
});

describe('who may take part in a study', () => {
  const STUDY = Object.keys(studyRequests);

  it('covers every study request', () => {
    expect(STUDY.sort()).toEqual(
      ['agreeToConsent', 'cancelJoin', 'deleteUploadedData', 'joinStudy', 'lookUpStudy', 'pauseStudy', 'resumeStudy', 'uploadNow', 'withdrawFromStudy'].sort(),
    );
  });

  it('the extension’s own pages: the review page and the popup', () => {
    for (const type of STUDY) {
      expect(allowed(reviewPage, type, { consentVersion: 1 }), type).toBe(true);
      expect(allowed(popup, type), type).toBe(true);
    }
  });

  it('never a chat page, nor a card in one, whatever the data says', () => {
    const reason = { kind: 'reason', messageId: 12 } as const;
    const task = { kind: 'task', conversationId: 'conv-1' } as const;
    for (const type of STUDY) {
      for (const data of [undefined, { site: 'chatgpt' }, { consentVersion: 1, conversationId: 'conv-1', messageId: 12, kind: 'reason' }]) {
        expect(allowed(chatgptTab, type, data), type).toBe(false);
        expect(cardMay(reason, 'conv-1', type, data), type).toBe(false);
        expect(cardMay(task, 'conv-1', type, data), type).toBe(false);
      }
    }
    // Nor anyone the policy does not know.
    expect(role({ ...reviewPage, id: 'another-extension' })).toBeNull();
  });
});
