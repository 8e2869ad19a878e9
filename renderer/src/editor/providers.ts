// Completion, hover and format for `foliolab-mms`, from the language's own
// modules (the same ones the command line uses). A fault in any of them gives
// no suggestion, never a broken editor.
import { type CompletionKind, completionsAt, hoverAt } from '../../../core/lang/completion';
import { formatScenario } from '../../../core/lang/format';
import { parseScenario } from '../../../core/lang/parser';
import { LANGUAGE_ID, monaco } from './monaco';

const KIND: Record<CompletionKind, monaco.languages.CompletionItemKind> = {
  keyword: monaco.languages.CompletionItemKind.Keyword,
  operation: monaco.languages.CompletionItemKind.Function,
  advice: monaco.languages.CompletionItemKind.EnumMember,
  property: monaco.languages.CompletionItemKind.Property,
  counter: monaco.languages.CompletionItemKind.Variable,
  policy: monaco.languages.CompletionItemKind.Constant,
  process: monaco.languages.CompletionItemKind.Class,
  mapping: monaco.languages.CompletionItemKind.Field,
  name: monaco.languages.CompletionItemKind.Text,
};

/** Text that formatting would change, or null when it must not run (statements that do not parse would be lost). */
export function formattedText(source: string, file: string): string | null {
  const parsed = parseScenario(source, file);
  if (parsed.diagnostics.some((d) => d.severity === 'error')) return null;
  return formatScenario(parsed.scenario);
}

let registered = false;

export function registerProviders(onFormatRefused: () => void = () => {}): void {
  if (registered) return;
  registered = true;
  monaco.languages.registerCompletionItemProvider(LANGUAGE_ID, {
    triggerCharacters: [' ', '.', '['],
    provideCompletionItems(model, position) {
      try {
        const word = model.getWordUntilPosition(position);
        const range = new monaco.Range(position.lineNumber, word.startColumn, position.lineNumber, word.endColumn);
        const items = completionsAt(model.getValue(), position.lineNumber, position.column);
        return {
          suggestions: items.map((c) => ({
            label: c.label,
            kind: KIND[c.kind],
            detail: c.detail,
            documentation: c.documentation ? { value: c.documentation } : undefined,
            insertText: c.label,
            range,
          })),
        };
      } catch {
        return { suggestions: [] };
      }
    },
  });
  monaco.languages.registerHoverProvider(LANGUAGE_ID, {
    provideHover(model, position) {
      try {
        const h = hoverAt(model.getValue(), position.lineNumber, position.column);
        if (!h) return null;
        return {
          contents: [{ value: h.contents }],
          range: new monaco.Range(h.span.line, h.span.col, h.span.endLine, h.span.endCol),
        };
      } catch {
        return null;
      }
    },
  });
  monaco.languages.registerDocumentFormattingEditProvider(LANGUAGE_ID, {
    provideDocumentFormattingEdits(model) {
      let text: string | null = null;
      try {
        text = formattedText(model.getValue(), model.uri.path);
      } catch {
        text = null;
      }
      if (text === null) {
        onFormatRefused();
        return [];
      }
      return text === model.getValue() ? [] : [{ range: model.getFullModelRange(), text }];
    },
  });
}
