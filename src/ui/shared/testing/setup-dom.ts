// uPlot touches matchMedia on import and draws with canvas 2D / Path2D; jsdom has none of them,
// and vitest fails the run on the resulting unhandled errors (stack.md §2). Node tests skip this.
if (typeof window !== "undefined") {
  window.matchMedia ??= ((query: string) => ({
    matches: false,
    media: query,
    onchange: null,
    addListener() {},
    removeListener() {},
    addEventListener() {},
    removeEventListener() {},
    dispatchEvent: () => false,
  })) as unknown as typeof window.matchMedia;
  const ctx = new Proxy({} as Record<string | symbol, unknown>, {
    get(t, p) {
      if (p in t) return t[p];
      if (p === "measureText") return () => ({ width: 0 });
      return () => undefined;
    },
    set(t, p, v) {
      t[p] = v;
      return true;
    },
  });
  HTMLCanvasElement.prototype.getContext = (() =>
    ctx) as unknown as typeof HTMLCanvasElement.prototype.getContext;
  (globalThis as Record<string, unknown>).Path2D ??= class {
    moveTo() {}
    lineTo() {}
    rect() {}
    arc() {}
    closePath() {}
    bezierCurveTo() {}
    quadraticCurveTo() {}
    addPath() {}
  };
}
