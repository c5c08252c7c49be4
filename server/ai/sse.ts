/**
 * Server-sent events, as an OpenAI-compatible endpoint streams them: `data: {...}` lines, events separated by
 * a blank line, comments starting with `:`. Text arrives in arbitrary pieces (a line, a field name or a
 * `\r\n` may be cut anywhere); the parser keeps what is incomplete until the next piece.
 */

export class SseParser {
  private buffer = '';
  private data: string[] = [];

  /** Feeds the next piece of text; returns the `data` of every event it completed, in order. */
  push(text: string): string[] {
    this.buffer += text;
    const events: string[] = [];
    let start = 0;
    for (let i = 0; i < this.buffer.length; i++) {
      const char = this.buffer[i];
      if (char !== '\n' && char !== '\r') continue;
      // A `\r` at the very end may be the first half of a `\r\n` cut in two: wait for the next piece.
      if (char === '\r' && i === this.buffer.length - 1) break;
      this.line(this.buffer.slice(start, i), events);
      if (char === '\r' && this.buffer[i + 1] === '\n') i++;
      start = i + 1;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** The stream ended: an event still open (no blank line after it) is completed, as browsers do not, but servers forget. */
  end(): string[] {
    const events: string[] = [];
    const rest = this.buffer.replace(/\r$/, '');
    this.buffer = '';
    if (rest !== '') this.line(rest, events);
    this.dispatch(events);
    return events;
  }

  private line(line: string, events: string[]): void {
    if (line === '') {
      this.dispatch(events);
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    if (field !== 'data') return; // event, id, retry: not used by chat completions
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    this.data.push(value);
  }

  private dispatch(events: string[]): void {
    if (this.data.length === 0) return;
    events.push(this.data.join('\n'));
    this.data = [];
  }
}
