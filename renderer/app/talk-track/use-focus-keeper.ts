// Keeps the keyboard in the panel as the steps change: when the focus was inside the panel,
// the new step's field (or the step itself) takes it — the button the agent pressed may be
// gone with the old step. When the focus was elsewhere (the notes), nothing is taken from it.
import { useLayoutEffect, useRef, type FocusEvent, type RefObject } from 'react';

/** The element of the panel that takes the focus: the step's field, else the step. */
export function focusTalkStep(root: HTMLElement | null): boolean {
  const target = root?.querySelector<HTMLElement>('[data-talk-focus]') ?? null;
  target?.focus();
  return target !== null;
}

export function useFocusKeeper(root: RefObject<HTMLElement | null>, stepKey: string) {
  const within = useRef(false);
  useLayoutEffect(() => {
    if (within.current) focusTalkStep(root.current);
  }, [root, stepKey]);
  return {
    onFocus() {
      within.current = true;
    },
    onBlur(e: FocusEvent) {
      const next = e.relatedTarget;
      if (next instanceof Node && root.current?.contains(next)) return;
      if (next) {
        within.current = false;
        return;
      }
      // Focus went nowhere: the agent clicked outside, or the focused element went away with
      // its step (then the next step takes the focus).
      const left = e.target;
      setTimeout(() => {
        if (left.isConnected && !root.current?.contains(document.activeElement))
          within.current = false;
      }, 0);
    },
  };
}
