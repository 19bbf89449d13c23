// The extension's type-check (client/tsconfig.json) takes in all of client/src,
// this page's code included, so it needs the DOM's types there too; the
// webview's own tsconfig.json has them in its lib.
/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
