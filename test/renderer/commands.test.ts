import { describe, expect, it } from 'vitest';
import { shortcutFor } from '../../renderer/src/commands';

const key = (key: string, mods: Partial<KeyboardEventInit> = {}) => new KeyboardEvent('keydown', { key, ...mods });

describe('keyboard shortcuts', () => {
  it('maps the common actions', () => {
    expect(shortcutFor(key('Enter', { ctrlKey: true }))).toBe('run');
    expect(shortcutFor(key('Escape'))).toBe('stop');
    expect(shortcutFor(key('s', { ctrlKey: true }))).toBe('save');
    expect(shortcutFor(key('S', { ctrlKey: true, shiftKey: true }))).toBe('save-as');
    expect(shortcutFor(key('o', { metaKey: true }))).toBe('open');
    expect(shortcutFor(key('ArrowRight', { altKey: true }))).toBe('step-forward');
    expect(shortcutFor(key('Home', { altKey: true }))).toBe('step-first');
  });
  it('leaves ordinary typing alone', () => {
    expect(shortcutFor(key('Enter'))).toBeNull();
    expect(shortcutFor(key('s'))).toBeNull();
    expect(shortcutFor(key('ArrowRight'))).toBeNull();
  });
});
