import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LineIndex } from '../../server/src/engine/text/lineIndex';

describe('LineIndex', () => {
  it('maps offsets to positions across LF, CRLF and CR line ends, and back', () => {
    const index = new LineIndex('ab\r\ncd\nef\rgh');
    assert.equal(index.lineCount, 4);
    assert.deepEqual(index.positionAt(0), { line: 0, character: 0 });
    assert.deepEqual(index.positionAt(4), { line: 1, character: 0 });
    assert.deepEqual(index.positionAt(8), { line: 2, character: 1 });
    assert.deepEqual(index.positionAt(11), { line: 3, character: 1 });
    assert.equal(index.offsetAt({ line: 2, character: 1 }), 8);
    assert.equal(index.offsetAt({ line: 9, character: 0 }), 12);
  });
});
