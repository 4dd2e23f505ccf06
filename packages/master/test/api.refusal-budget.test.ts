// The audit log's budget for refusals of unauthenticated callers: bounded per address and in memory.
import { describe, expect, it } from 'vitest';
import { RefusalBudget } from '../src/api/refusal-budget.js';

describe('RefusalBudget', () => {
  it('records up to the budget per address and minute, then counts, and reports the count once', () => {
    let now = 0;
    const budget = new RefusalBudget(3, 100, () => now);
    const taken = Array.from({ length: 5 }, () => budget.take('10.0.0.1').record);
    expect(taken).toEqual([true, true, true, false, false]);
    expect(budget.take('10.0.0.2')).toEqual({ record: true, skippedBefore: 0 }); // its own budget
    now = 60_000;
    expect(budget.take('10.0.0.1')).toEqual({ record: true, skippedBefore: 2 });
    expect(budget.take('10.0.0.1')).toEqual({ record: true, skippedBefore: 0 });
  });

  it('keeps at most maxSources addresses, forgetting the oldest', () => {
    const budget = new RefusalBudget(1, 2, () => 0);
    budget.take('a');
    budget.take('a'); // skipped
    budget.take('b');
    budget.take('c'); // 'a' is forgotten: its window starts again
    expect(budget.take('a')).toEqual({ record: true, skippedBefore: 0 });
    expect(budget.take('c')).toEqual({ record: false, skippedBefore: 0 });
  });
});
