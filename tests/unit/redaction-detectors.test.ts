import { describe, expect, it } from 'vitest';
import { findSpans, findSpansIn, stripUrlQueries, type FindOptions, type SpanKind } from '../../utils/redaction';
import { CORPUS_CUSTOM, readCorpus } from '../support/unit/pii-corpus';

const found = (text: string, options: FindOptions = { nlp: false }) =>
  findSpans(text, options).map((span) => [span.kind, text.slice(span.start, span.end)] as [SpanKind, string]);

describe('stripUrlQueries', () => {
  it('drops the query string and the fragment of every URL and nothing else', () => {
    expect(
      stripUrlQueries('See https://shop.example.com/cart?session=abc&u=42#pay, www.example.org/a#top and (https://example.net/p?q=1).'),
    ).toBe('See https://shop.example.com/cart, www.example.org/a and (https://example.net/p).');
  });

  it('leaves text without URLs, and question marks outside URLs, alone', () => {
    expect(stripUrlQueries('Why? Because #1 is ?q=3.')).toBe('Why? Because #1 is ?q=3.');
  });
});

describe('findSpans', () => {
  it('suggests one span for a URL that holds an e-mail address, as a URL', () => {
    expect(found('Open https://example.com/invite?to=ana@example.org now')).toEqual([
      ['url', 'https://example.com/invite?to=ana@example.org'],
    ]);
  });

  it("redacts the participant's own words case-insensitively, as whole words only", () => {
    expect(found('Bluebird, BLUEBIRD and bluebirds', { nlp: false, custom: ['bluebird'] })).toEqual([
      ['custom', 'Bluebird'],
      ['custom', 'BLUEBIRD'],
    ]);
  });

  it('suggests only the kinds asked for', () => {
    expect(found('ana@example.org +44 20 7946 0958', { nlp: false, kinds: ['phone'] })).toEqual([['phone', '+44 20 7946 0958']]);
  });

  it('finds names and places only with the NLP pass', () => {
    const text = 'My manager Sarah Chen moved to Berlin.';
    expect(found(text)).toEqual([]);
    expect(found(text, {})).toEqual([
      ['name', 'Sarah Chen'],
      ['place', 'Berlin'],
    ]);
  });

  it('keeps offsets right after emoji and other characters of two code units', () => {
    const text = '𝒳 👨‍👩‍👧 ana@example.org 🇩🇪 Berlin';
    expect(found(text, {})).toEqual([
      ['email', 'ana@example.org'],
      ['place', 'Berlin'],
    ]);
  });

  it('takes a private key block whole, across its lines', () => {
    const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----';
    expect(found(`key:\n${key}\nthanks`)).toEqual([['secret', key]]);
  });

  it('leaves git SHAs, checksums and UUIDs alone but not a hex token after a credential word', () => {
    const sha = '3f786850e387550fdab836ed7d6dc881de23001b';
    expect(found(`commit ${sha} and id 550e8400-e29b-41d4-a716-446655440000`)).toEqual([]);
    expect(found(`token: ${sha}`)).toEqual([['secret', sha]]);
  });

  it('finds the same spans for many texts at once as for each alone', () => {
    const texts = [...readCorpus(), ...readCorpus('pii-heldout')].map((entry) => entry.text);
    const options = { custom: CORPUS_CUSTOM };
    expect(findSpansIn(texts, options)).toEqual(texts.map((text) => findSpans(text, options)));
  });

  it('rejects options that are not an options object', () => {
    expect(() => findSpans('x', { custom: 'Bluebird' } as unknown as FindOptions)).toThrow();
  });
});
