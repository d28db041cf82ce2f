import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml } from '../../client/src/previewHtml';
import { escapeMarkdown } from '../../server/src/engine/format/markdown';
import { codePointMarker, displayJson, displayLabel, displayLayout, displayText, escapeIcons } from '../../server/src/engine/text/displayText';

// Each class of character that acts instead of showing, or cannot be seen, with how it is shown.
const CLASSES: Array<[string, string, string]> = [
  ['C0: NUL, BEL, BS, ESC, US', '\u0000\u0007\u0008\u001b\u001f', '\\x00\\x07\\x08\\x1b\\x1f'],
  ['C0 layout: tab, newline, carriage return, vertical tab, form feed', '\t\n\r\u000b\u000c', '\\x09\\x0a\\x0d\\x0b\\x0c'],
  ['DEL', '\u007f', '\\x7f'],
  ['C1: PAD, NEL, CSI, OSC, APC', '\u0080\u0085\u009b\u009d\u009f', '\\x80\\x85\\x9b\\x9d\\x9f'],
  ['bidi embeddings and overrides', '\u202a\u202b\u202c\u202d\u202e', '\\u202a\\u202b\\u202c\\u202d\\u202e'],
  ['bidi isolates', '\u2066\u2067\u2068\u2069', '\\u2066\\u2067\\u2068\\u2069'],
  ['bidi marks: LRM, RLM, Arabic letter mark', '\u200e\u200f\u061c', '\\u200e\\u200f\\u061c'],
  ['line and paragraph separators', '\u2028\u2029', '\\u2028\\u2029'],
  ['invisible: zero width space, byte order mark', '\u200b\ufeff', '\\u200b\\ufeff'],
];

describe('displayText: untrusted text shown inert', () => {
  for (const [name, raw, shown] of CLASSES) {
    it(`escapes ${name}`, () => {
      assert.equal(displayText(`a${raw}b`), `a${shown}b`);
    });
  }

  it('leaves printable text alone, whatever its script, emoji and backslashes included', () => {
    const text = 'CN=kube-apiserver, O=système:masters, 名前, עברית, 🔐, C:\\pki\\ca.crt, $(alert) ~ `x`';
    assert.equal(displayText(text), text);
  });

  it("keeps the layout's tab and newline in displayLayout, escapes every other class", () => {
    assert.equal(displayLayout('a\tb\nc'), 'a\tb\nc');
    assert.equal(displayLayout('\u001b]0;TITLE\u0007\u001b[2J\r\u202e\u0085\u2028\u200b'), '\\x1b]0;TITLE\\x07\\x1b[2J\\x0d\\u202e\\x85\\u2028\\u200b');
  });

  it('writes JSON with every class as a \\u escape: the same data, still valid JSON', () => {
    const value = { cn: `x${CLASSES.map(([, raw]) => raw).join('')}y`, list: ['\u202e'] };
    const json = displayJson(value);
    assert.deepEqual(JSON.parse(json), value);
    assert.doesNotMatch(json, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/);
    assert.equal(displayJson({ a: '\u202e\u0085\u007f\u2028' }), '{\n  "a": "\\u202e\\u0085\\u007f\\u2028"\n}');
  });

  it('escapes VS Code icon syntax in labels the way VS Code does ($( becomes \\$()', () => {
    assert.equal(escapeIcons('$(alert) and $(sync~spin)'), '\\$(alert) and \\$(sync~spin)');
    assert.equal(displayLabel('CN=$(alert)\n\u202e'), 'CN=\\$(alert)\\x0a\\u202e');
  });

  it('marks code points in the preview as [U+XXXX]', () => {
    assert.equal(displayText('a\u202eb', codePointMarker), 'a[U+202E]b');
    for (const [, raw] of CLASSES)
      assert.doesNotMatch(escapeHtml(raw), /[\u0000-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]/);
    assert.equal(escapeHtml('<b>\u001b\u200b\u2028'), '&lt;b&gt;[U+001B][U+200B][U+2028]');
  });

  it('hover Markdown shows the escapes as text (their backslash escaped), nothing raw', () => {
    assert.equal(escapeMarkdown('CN=a\u001b[2J\u202e\u200b\u061c\u2028\nb'), 'CN=a\\\\x1b\\[2J\\\\u202e\\\\u200b\\\\u061c\\\\u2028\\\\x0ab');
  });

  it('costs linear time on one long hostile string: 2x input costs less than 3x time', () => {
    const unit = `CN=a\u001b]0;T\u0007\u202eb $(x)\n${'plain text of a field, '.repeat(4)}`;
    // CPU time of this process (not wall time, which other work on a loaded machine stretches); small and large runs alternate, the best of each counts.
    const cost = (text: string) => {
      const start = process.cpuUsage();
      displayLabel(text);
      displayLayout(text);
      displayJson(text);
      const used = process.cpuUsage(start);
      return used.user + used.system;
    };
    const smallText = unit.repeat(10_000);
    const largeText = unit.repeat(20_000);
    let small = Infinity;
    let large = Infinity;
    for (let i = 0; i < 9; i++) {
      small = Math.min(small, cost(smallText));
      large = Math.min(large, cost(largeText));
    }
    assert.ok(large < small * 3, `${large} µs for 2x the input of ${small} µs`);
  });
});
