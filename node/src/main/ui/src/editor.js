// The PromQL editor: CodeMirror 6 with the Prometheus project's PromQL language support
// (highlighting, inline parse errors, completion of functions, metric names, label names and values,
// the last three fetched from this node's own API).
import { EditorState } from '@codemirror/state';
import { EditorView, keymap, placeholder, drawSelection, highlightActiveLine } from '@codemirror/view';
import { defaultKeymap, history, historyKeymap, insertNewline } from '@codemirror/commands';
import { syntaxHighlighting, defaultHighlightStyle, bracketMatching } from '@codemirror/language';
import { autocompletion, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { lintKeymap } from '@codemirror/lint';
import { PromQLExtension } from '@prometheus-io/codemirror-promql';

/** Creates the editor in `parent`; `onRun` is called with the text on Enter (Shift-Enter: new line). */
export function createEditor(parent, text, onRun, onChange) {
  const promql = new PromQLExtension().setComplete({
    remote: { url: window.location.origin, httpMethod: 'GET', cache: { maxAge: 60_000 } },
  });
  return new EditorView({
    parent,
    state: EditorState.create({
      doc: text,
      extensions: [
        history(),
        drawSelection(),
        highlightActiveLine(),
        bracketMatching(),
        closeBrackets(),
        autocompletion(),
        syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
        placeholder('Expression (press Enter to run, Shift+Enter for a new line)'),
        promql.asExtension(),
        EditorView.lineWrapping,
        keymap.of([
          { key: 'Enter', run: (v) => { onRun(v.state.doc.toString()); return true; } },
          { key: 'Shift-Enter', run: insertNewline },
          ...closeBracketsKeymap, ...historyKeymap, ...lintKeymap, ...defaultKeymap,
        ]),
        EditorView.updateListener.of((u) => { if (u.docChanged) onChange(u.state.doc.toString()); }),
      ],
    }),
  });
}

/** Replaces the editor's selection with `text` (the metric explorer's "insert"). */
export function insertText(view, text) {
  view.dispatch(view.state.replaceSelection(text));
  view.focus();
}
