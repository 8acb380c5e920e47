import { describe, expect, it } from 'vitest';
import { EMPTY_MARK, fillText, placeholders } from '../../../../main/core/scripts/fill-text';

describe('fillText', () => {
  const vars = {
    'customer.name': '山田 太郎',
    'customer.purchaseCount': 3,
    'customer.segment': null,
    'callback.note': '   ',
  };

  it('fills variables, with or without spaces inside the braces', () => {
    expect(fillText('{{customer.name}}様、{{ customer.purchaseCount }}回目のご購入', vars)).toBe(
      '山田 太郎様、3回目のご購入',
    );
  });

  it('renders missing, null and blank values as the empty-marker', () => {
    expect(fillText('[{{customer.segment}}]', vars)).toBe(`[${EMPTY_MARK}]`);
    expect(fillText('[{{callback.dueAt}}]', vars)).toBe(`[${EMPTY_MARK}]`);
    expect(fillText('[{{callback.note}}]', vars)).toBe(`[${EMPTY_MARK}]`);
    expect(fillText('[{{callback.dueAt}}]', vars, '')).toBe('[]');
    expect(fillText('{{customer.segment}}', vars)).not.toMatch(/undefined|null/);
  });

  it('never takes values from the prototype', () => {
    expect(fillText('{{constructor}} {{toString}} {{__proto__}}', {})).toBe(
      `${EMPTY_MARK} ${EMPTY_MARK} ${EMPTY_MARK}`,
    );
  });

  it('renders non-finite numbers as missing', () => {
    expect(fillText('{{a}}', { a: Number.NaN })).toBe(EMPTY_MARK);
  });

  it('inserts values literally (no $-patterns, no re-expansion)', () => {
    expect(fillText('{{a}}', { a: "$& $' $1" })).toBe("$& $' $1");
    expect(fillText('{{a}}', { a: '{{b}}', b: 'x' })).toBe('{{b}}');
  });

  it('leaves malformed braces and plain text alone', () => {
    expect(fillText('{{ }} {customer.name} {{customer.}} no vars', vars)).toBe(
      '{{ }} {customer.name} {{customer.}} no vars',
    );
  });

  it('does not escape HTML (the renderer shows text)', () => {
    expect(fillText('{{customer.name}}', { 'customer.name': '<b>x</b>' })).toBe('<b>x</b>');
  });

  it('lists the placeholders a text uses, once each', () => {
    expect(placeholders('{{a.b}} {{ c }} {{a.b}} {{ }}')).toEqual(['a.b', 'c']);
    expect(placeholders('none')).toEqual([]);
  });
});
