// Stylesheets imported for their side effect: esbuild bundles them into panel.css.
declare module "*.css";
