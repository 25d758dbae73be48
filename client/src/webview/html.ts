/**
 * The path page's HTML and its Content-Security-Policy, as a pure function so that the browser test serves
 * exactly what the panel does. Nothing from the user's files is ever in this HTML: the data arrives later
 * as a message, and the page inserts it as text.
 */

export interface PageHtmlOptions {
  /** A fresh random value per page load. */
  nonce: string;
  /** Where the bundled page script is (the webview URI of dist/webview/webview.js). */
  scriptUri: string;
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
}

/**
 * Scripts and styles only with the nonce (the one bundled script, the one style element), no `eval`, no
 * inline handlers or style attributes, and nothing at all from the network: `default-src 'none'` covers
 * images, fonts, frames and connections. Styles the script sets through the CSSOM are not style
 * attributes and need no `unsafe-inline`.
 */
export function pageCsp(o: Pick<PageHtmlOptions, 'nonce' | 'cspSource'>): string {
  return [`default-src 'none'`, `script-src 'nonce-${o.nonce}'`, `style-src ${o.cspSource} 'nonce-${o.nonce}'`].join('; ');
}

export function pageHtml(o: PageHtmlOptions): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${attr(pageCsp(o))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>PrivateLink paths</title>
<style nonce="${attr(o.nonce)}">${PAGE_STYLE}</style>
</head>
<body>
<main id="root" aria-busy="true"><p>Loading\u2026</p></main>
<noscript><p>This view needs scripts, which VS Code enables for it; reopen the panel.</p></noscript>
<script nonce="${attr(o.nonce)}" src="${attr(o.scriptUri)}"></script>
</body>
</html>`;
}

function attr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}

// Theme variables keep the panel readable in light, dark and high-contrast themes without knowing which;
// every colour has a fallback so the page stays legible where a variable is missing.
export const PAGE_STYLE = `
:root {
  --pl-open: var(--vscode-testing-iconPassed, var(--vscode-charts-green, #388a34));
  --pl-blocked: var(--vscode-testing-iconFailed, var(--vscode-errorForeground, #e51400));
  --pl-unknown: var(--vscode-editorWarning-foreground, var(--vscode-charts-yellow, #bf8803));
  --pl-border: var(--vscode-widget-border, var(--vscode-panel-border, var(--vscode-contrastBorder, rgba(128,128,128,0.35))));
  --pl-card: var(--vscode-editorWidget-background, var(--vscode-editor-background));
  --pl-muted: var(--vscode-descriptionForeground, var(--vscode-foreground));
  --pl-mono: var(--vscode-editor-font-family, monospace);
}
body { font-family: var(--vscode-font-family, system-ui, sans-serif); font-size: var(--vscode-font-size, 13px); color: var(--vscode-foreground); background: var(--vscode-editor-background); padding: 0 16px 16px; margin: 0; }
h1 { font-size: 1.25em; font-weight: 600; margin: 14px 0 4px; overflow-wrap: anywhere; }
h2 { font-size: 1.05em; font-weight: 600; margin: 0 0 6px; }
.status { margin: 0 0 10px; color: var(--pl-muted); }
.status.error { color: var(--vscode-errorForeground); }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.notice { position: fixed; right: 16px; bottom: 16px; margin: 0; padding: 6px 12px; border: 1px solid var(--pl-border); border-radius: 4px; background: var(--vscode-notifications-background, var(--pl-card)); color: var(--vscode-notifications-foreground, var(--vscode-foreground)); box-shadow: 0 2px 8px var(--vscode-widget-shadow, rgba(0,0,0,0.3)); }
.notice:empty { display: none; }
button { font: inherit; color: inherit; }
button:focus-visible, pre:focus-visible { outline: 1px solid var(--vscode-focusBorder); outline-offset: 1px; }
.mono, .label, .rule, .ports, pre { font-family: var(--pl-mono); }

/* Path switcher */
.tabs { display: flex; flex-wrap: wrap; gap: 6px; margin: 0 0 10px; padding: 0; }
.tab { display: inline-flex; align-items: center; gap: 6px; max-width: 100%; padding: 4px 10px; border: 1px solid var(--pl-border); border-radius: 4px; background: transparent; cursor: pointer; text-align: left; }
.tab:hover { background: var(--vscode-list-hoverBackground); }
.tab[aria-selected="true"] { background: var(--vscode-list-activeSelectionBackground, var(--vscode-list-inactiveSelectionBackground)); color: var(--vscode-list-activeSelectionForeground, inherit); border-color: var(--vscode-focusBorder, var(--pl-border)); }
.tab .ends { font-family: var(--pl-mono); font-size: 0.92em; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; max-width: 46ch; }
.tab .port { color: var(--pl-muted); font-size: 0.92em; }
.tab[aria-selected="true"] .port { color: inherit; }

/* Verdicts: an icon and a word, in colour; the word carries the meaning. */
.verdict { display: inline-flex; align-items: center; gap: 4px; font-weight: 600; white-space: nowrap; }
.verdict svg { width: 14px; height: 14px; flex: none; }
.v-open { color: var(--pl-open); }
.v-blocked { color: var(--pl-blocked); }
.v-unknown { color: var(--pl-unknown); }

/* Summary and toolbar above the drawing */
.summary { display: flex; flex-wrap: wrap; align-items: center; gap: 8px 14px; margin: 0 0 8px; }
.summary .sentence { flex: 1 1 320px; display: flex; gap: 6px; align-items: center; margin: 0; }
.summary .sentence .verdict svg { width: 16px; height: 16px; }
.toolbar { display: inline-flex; gap: 6px; flex-wrap: wrap; }
.tool { padding: 3px 9px; border: 1px solid var(--vscode-button-border, var(--pl-border)); border-radius: 3px; background: var(--vscode-button-secondaryBackground, transparent); color: var(--vscode-button-secondaryForeground, inherit); cursor: pointer; }
.tool:hover { background: var(--vscode-button-secondaryHoverBackground, var(--vscode-list-hoverBackground)); }
.tool[aria-pressed="true"] { border-color: var(--vscode-focusBorder); }

/* The drawing */
.canvas { overflow: auto; border: 1px solid var(--pl-border); border-radius: 4px; background: var(--vscode-editor-background); }
.canvas svg { display: block; }
.canvas .drawing { margin: 0; padding: 24px 16px; color: var(--pl-muted); }
.canvas.fit svg { max-width: 100%; height: auto; }
.group-box { fill: var(--vscode-sideBar-background, transparent); fill-opacity: 0.55; stroke: var(--pl-border); stroke-width: 1; }
.group-box.vpc { fill: var(--vscode-editor-background); fill-opacity: 0.35; stroke-dasharray: 5 3; }
.group-title { fill: var(--pl-muted); font-size: 11px; font-family: var(--vscode-font-family, sans-serif); }
.group-title .strong { font-weight: 600; fill: var(--vscode-foreground); }
.edge { fill: none; stroke: var(--pl-muted); stroke-width: 1.5; }
.edge.after-block { stroke-dasharray: 4 4; opacity: 0.55; }
.edge.into-blocked { stroke: var(--pl-blocked); stroke-width: 2; }
.arrow { fill: var(--pl-muted); }
.arrow.into-blocked { fill: var(--pl-blocked); }

/* A hop */
.card { box-sizing: border-box; width: 100%; height: 100%; border: 1px solid var(--pl-border); border-left-width: 4px; border-radius: 4px; background: var(--pl-card); color: var(--vscode-foreground); font-size: 12px; line-height: 1.35; overflow: hidden; }
.card.v-open { border-left-color: var(--pl-open); }
.card.v-unknown { border-left-color: var(--pl-unknown); }
.card.v-blocked { border-color: var(--pl-blocked); border-left-color: var(--pl-blocked); }
.card .head { display: block; width: 100%; padding: 6px 8px 6px; border: 0; background: transparent; text-align: left; cursor: pointer; }
.card .head:hover { background: var(--vscode-list-hoverBackground); }
.card .head:disabled { cursor: default; }
.card .head:disabled:hover { background: transparent; }
.card .top { display: flex; justify-content: space-between; gap: 8px; align-items: flex-start; }
.card .kind { color: var(--pl-muted); font-size: 11px; }
.card .top .verdict { font-size: 11.5px; }
.card .label { display: block; margin-top: 4px; font-size: 12px; font-weight: 600; overflow-wrap: anywhere; }
.card .head:not(:disabled) .label { color: var(--vscode-textLink-foreground); }
.card .ports { display: block; margin-top: 2px; color: var(--pl-muted); font-size: 11px; }
.card .reasons { margin: 0; padding: 6px 8px 8px; list-style: none; border-top: 1px solid var(--pl-border); }
.card .reason { overflow-wrap: anywhere; }
.card .reason + .reason { margin-top: 8px; }
.card .reason .rule { font-weight: 600; margin-right: 4px; }
.card .reason .rule.v-blocked { color: var(--pl-blocked); }
.card .reason .rule.v-unknown { color: var(--pl-unknown); }
.card .goto { padding: 0; border: 0; background: none; color: var(--vscode-textLink-foreground); cursor: pointer; text-decoration: underline; font-size: 11px; }
.card .fixes { display: flex; flex-direction: column; gap: 4px; margin-top: 6px; }
.fix { padding: 4px 8px; border: 1px solid var(--vscode-button-border, transparent); border-radius: 3px; background: var(--vscode-button-background, #0e639c); color: var(--vscode-button-foreground, #fff); cursor: pointer; text-align: left; font-size: 11.5px; }
.fix:hover { background: var(--vscode-button-hoverBackground, var(--vscode-button-background)); }
.fix.secondary { background: var(--vscode-button-secondaryBackground, transparent); color: var(--vscode-button-secondaryForeground, inherit); }
.fix.secondary:hover { background: var(--vscode-button-secondaryHoverBackground, var(--vscode-list-hoverBackground)); }
.measure { position: absolute; left: -10000px; top: 0; visibility: hidden; }
.layout-note { color: var(--pl-muted); font-size: 0.92em; margin: 4px 0 0; }

/* The text version */
.text-version { margin-top: 16px; }
.text-version pre { margin: 0; padding: 8px 10px; border: 1px solid var(--pl-border); border-radius: 4px; background: var(--vscode-textCodeBlock-background, transparent); white-space: pre-wrap; overflow-wrap: anywhere; font-size: 12px; }
.text-version details { margin-top: 8px; }
.text-version summary { cursor: pointer; color: var(--pl-muted); margin-bottom: 6px; }
`;
