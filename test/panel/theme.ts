// The theme variables VS Code puts on a webview's <html>, for the colours the
// panel uses: a subset of the Light Modern and Dark Modern themes, so the
// browser tests and screenshots show the panel as it looks in VS Code.
const shared = { "--vscode-font-family": "system-ui, 'Ubuntu', 'Droid Sans', sans-serif", "--vscode-font-size": "13px", "--vscode-editor-font-family": "'Droid Sans Mono', monospace" };

export const THEMES = {
  light: {
    bodyClass: "vscode-light",
    vars: {
      ...shared,
      "--vscode-foreground": "#3b3b3b",
      "--vscode-descriptionForeground": "#3b3b3b",
      "--vscode-sideBar-background": "#f8f8f8",
      "--vscode-editor-background": "#ffffff",
      "--vscode-editorWidget-border": "#c8c8c8",
      "--vscode-focusBorder": "#005fb8",
      "--vscode-icon-foreground": "#3b3b3b",
      "--vscode-toolbar-hoverBackground": "rgba(184, 184, 184, 0.31)",
      "--vscode-input-background": "#ffffff",
      "--vscode-input-foreground": "#3b3b3b",
      "--vscode-input-border": "#cecece",
      "--vscode-input-placeholderForeground": "#767676",
      "--vscode-inputOption-activeBackground": "rgba(190, 206, 228, 0.2)",
      "--vscode-inputOption-activeBorder": "#005fb8",
      "--vscode-badge-background": "#cccccc",
      "--vscode-badge-foreground": "#3b3b3b",
      "--vscode-list-hoverBackground": "#f2f2f2",
      "--vscode-list-activeSelectionBackground": "#e8e8e8",
      "--vscode-list-activeSelectionForeground": "#000000",
      "--vscode-list-inactiveSelectionBackground": "#e4e6f1",
      "--vscode-panelTitle-activeBorder": "#005fb8",
      "--vscode-panelTitle-activeForeground": "#3b3b3b",
      "--vscode-panelTitle-inactiveForeground": "#3b3b3b",
      "--vscode-textLink-foreground": "#005fb8",
      "--vscode-textLink-activeForeground": "#005fb8",
      "--vscode-errorForeground": "#f85149",
      "--vscode-editorWarning-foreground": "#bf8803",
      "--vscode-charts-red": "#e51400",
      "--vscode-charts-blue": "#1a85ff",
      "--vscode-charts-green": "#388a34",
      "--vscode-charts-orange": "#d18616",
      "--vscode-charts-purple": "#652d90",
    },
  },
  dark: {
    bodyClass: "vscode-dark",
    vars: {
      ...shared,
      "--vscode-foreground": "#cccccc",
      "--vscode-descriptionForeground": "#9d9d9d",
      "--vscode-sideBar-background": "#181818",
      "--vscode-editor-background": "#1f1f1f",
      "--vscode-editorWidget-border": "#454545",
      "--vscode-focusBorder": "#0078d4",
      "--vscode-icon-foreground": "#cccccc",
      "--vscode-toolbar-hoverBackground": "rgba(90, 93, 94, 0.31)",
      "--vscode-input-background": "#313131",
      "--vscode-input-foreground": "#cccccc",
      "--vscode-input-border": "#3c3c3c",
      "--vscode-input-placeholderForeground": "#989898",
      "--vscode-inputOption-activeBackground": "rgba(36, 137, 219, 0.51)",
      "--vscode-inputOption-activeBorder": "#2488db",
      "--vscode-badge-background": "#616161",
      "--vscode-badge-foreground": "#f8f8f8",
      "--vscode-list-hoverBackground": "#2a2d2e",
      "--vscode-list-activeSelectionBackground": "#04395e",
      "--vscode-list-activeSelectionForeground": "#ffffff",
      "--vscode-list-inactiveSelectionBackground": "#37373d",
      "--vscode-panelTitle-activeBorder": "#0078d4",
      "--vscode-panelTitle-activeForeground": "#cccccc",
      "--vscode-panelTitle-inactiveForeground": "#9d9d9d",
      "--vscode-textLink-foreground": "#4daafc",
      "--vscode-textLink-activeForeground": "#4daafc",
      "--vscode-errorForeground": "#f85149",
      "--vscode-editorWarning-foreground": "#cca700",
      "--vscode-charts-red": "#f14c4c",
      "--vscode-charts-blue": "#3794ff",
      "--vscode-charts-green": "#89d185",
      "--vscode-charts-orange": "#d18616",
      "--vscode-charts-purple": "#b180d7",
    },
  },
};

export type ThemeName = keyof typeof THEMES;

/** The sidebar background as VS Code paints it behind a webview view. */
export function backgroundOf(theme: ThemeName): string {
  return THEMES[theme].vars["--vscode-sideBar-background"];
}
