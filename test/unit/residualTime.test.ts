import assert from 'node:assert/strict';
import { it } from 'node:test';
import { residualTime } from '../../server/src/engine/check/expiryTable';

const now = new Date('2026-01-01T00:00:00Z');
const later = (seconds: number) => new Date(now.getTime() + seconds * 1000);

it("residual time reads as kubeadm's (apimachinery ShortHumanDuration), and 'expired' past notAfter", () => {
  const cases: Array<[number, string]> = [
    [-1, 'expired'],
    [0, '0s'],
    [59, '59s'],
    [60, '1m'],
    [3599, '59m'],
    [3600, '1h'],
    [86_399, '23h'],
    [86_400, '1d'],
    [364 * 86_400 + 86_399, '364d'],
    [365 * 86_400, '1y'],
    [3650 * 86_400 - 3600, '9y'],
    [3650 * 86_400, '10y'],
  ];
  assert.deepEqual(
    cases.map(([s]) => [s, residualTime(later(s), now)]),
    cases,
  );
});
