// Canvas drawings cannot use CSS variables directly, so they read VS Code's
// theme colours from the page and redraw when the theme changes (VS Code swaps
// the body's class and the variables on <html>).

export function themeColor(variable: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(variable).trim() || fallback;
}

export function onThemeChange(redraw: () => void): void {
  const observer = new MutationObserver(redraw);
  observer.observe(document.body, { attributes: true, attributeFilter: ["class"] });
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["style"] });
}
