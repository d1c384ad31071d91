/**
 * subscribedTopicRegex as Kafka 4.1 reads it: GroupMetadataManager compiles a member's regex with
 * Google's RE2/J (`Pattern.compile`, Perl-like syntax: Go's regexp/syntax with its Perl flags) and
 * resolves it with `Matcher.matches()` — the whole topic name must match. JavaScript's RegExp is
 * neither: it accepts lookaround and backreferences (RE2 has neither), reads `[]`, `\Q..\E`, `\pL`,
 * `[[:alpha:]]`, `(?i)` differently or not at all, and searches instead of matching whole names.
 *
 * So this module parses the RE2 syntax itself, refusing what RE2/J refuses with RE2/J's own
 * description (the text Kafka puts after "is not a valid regular expression: "), and translates the
 * parse into a JavaScript RegExp that decides the same topic names. The translation relies on what a
 * topic name can hold (Kafka's Topic.LEGAL_CHARS: ASCII letters, digits, '.', '_', '-'): every
 * character class — literals under (?i), '.', \d, \p{..}, [[:..:]], negations — becomes the set of
 * legal characters it matches, and anchors need no multi-line care (a name has no newline). Greedy
 * or lazy makes no difference to whether a whole name matches, so laziness is dropped.
 *
 * Checked against RE2/J 1.8 (the jar Kafka 4.1.1 ships) by test/emulator/consumer-group-regex.test.ts.
 */

/** RE2/J's error descriptions (PatternSyntaxException.getDescription). */
export const RE2_ERRORS = {
  internal: 'regexp/syntax: internal error',
  charRange: 'invalid character class range',
  escape: 'invalid escape sequence',
  namedCapture: 'invalid named capture',
  perlOp: 'invalid or unsupported Perl syntax',
  repeatOp: 'invalid nested repetition operator',
  repeatSize: 'invalid repeat count',
  missingBracket: 'missing closing ]',
  missingParen: 'missing closing )',
  missingRepeatArgument: 'missing argument to repetition operator',
  trailingBackslash: 'trailing backslash at end of expression',
  duplicateName: 'duplicate capture group name',
} as const;

export class Re2SyntaxError extends Error {
  constructor(readonly description: string) {
    super(description);
  }
}

/** The characters a Kafka topic name is made of (Topic.LEGAL_CHARS). */
const LEGAL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-';
const LEGAL_CODES = [...LEGAL].map((c) => c.codePointAt(0)!);

/** A character class, as the set of code points it holds. */
type CharPredicate = (cp: number) => boolean;

interface Flags {
  /** (?i): literals and classes match their case-folded equivalents. */
  foldCase: boolean;
}

// Whether a topic name is matched does not depend on (?m), (?s) or (?U) — a name has no newline
// and the match is all or nothing — so they are parsed and accepted, and need no state.

const MAX_REPEAT = 1000;

const range =
  (lo: number, hi: number): CharPredicate =>
  (cp) =>
    cp >= lo && cp <= hi;
const anyOf =
  (...ps: CharPredicate[]): CharPredicate =>
  (cp) =>
    ps.some((p) => p(cp));
const not =
  (p: CharPredicate): CharPredicate =>
  (cp) =>
    !p(cp);
const chars = (s: string): CharPredicate => {
  const set = new Set([...s].map((c) => c.codePointAt(0)!));
  return (cp) => set.has(cp);
};

const DIGIT = range(0x30, 0x39);
const UPPER = range(0x41, 0x5a);
const LOWER = range(0x61, 0x7a);
const ALPHA = anyOf(UPPER, LOWER);
const WORD = anyOf(DIGIT, ALPHA, chars('_'));

/** RE2's Perl classes (ASCII only; \s has no \v). */
const PERL_CLASSES: Record<string, CharPredicate> = {
  d: DIGIT,
  s: chars('\t\n\f\r '),
  w: WORD,
};

/** RE2's POSIX classes, [[:name:]] (ASCII). */
const POSIX_CLASSES: Record<string, CharPredicate> = {
  alnum: anyOf(DIGIT, ALPHA),
  alpha: ALPHA,
  ascii: range(0, 0x7f),
  blank: chars('\t '),
  cntrl: anyOf(range(0, 0x1f), chars('\x7f')),
  digit: DIGIT,
  graph: range(0x21, 0x7e),
  lower: LOWER,
  print: range(0x20, 0x7e),
  punct: anyOf(range(0x21, 0x2f), range(0x3a, 0x40), range(0x5b, 0x60), range(0x7b, 0x7e)),
  space: chars('\t\n\v\f\r '),
  upper: UPPER,
  word: WORD,
  xdigit: anyOf(DIGIT, range(0x41, 0x46), range(0x61, 0x66)),
};

/** The Unicode general categories RE2/J 1.8's tables name (\p{Lu}, \pL). */
const UNICODE_CATEGORIES = new Set(
  'C Cc Cf Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs'.split(
    ' ',
  ),
);

/** The scripts RE2/J 1.8's tables name (an old Unicode: no Chakma, no Adlam, ...). */
const UNICODE_SCRIPTS = new Set(
  (
    'Arabic Armenian Avestan Balinese Bamum Batak Bengali Bopomofo Brahmi Braille Buginese Buhid ' +
    'Canadian_Aboriginal Carian Cham Cherokee Common Coptic Cuneiform Cypriot Cyrillic Deseret ' +
    'Devanagari Egyptian_Hieroglyphs Ethiopic Georgian Glagolitic Gothic Greek Gujarati Gurmukhi Han ' +
    'Hangul Hanunoo Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi ' +
    'Inscriptional_Parthian Javanese Kaithi Kannada Katakana Kayah_Li Kharoshthi Khmer Lao Latin ' +
    'Lepcha Limbu Linear_B Lisu Lycian Lydian Malayalam Mandaic Meetei_Mayek Mongolian Myanmar ' +
    'New_Tai_Lue Nko Ogham Ol_Chiki Old_Italic Old_Persian Old_South_Arabian Old_Turkic Oriya Osmanya ' +
    'Phags_Pa Phoenician Rejang Runic Samaritan Saurashtra Shavian Sinhala Sundanese Syloti_Nagri ' +
    'Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Tamil Telugu Thaana Thai Tibetan Tifinagh ' +
    'Ugaritic Vai Yi'
  ).split(' '),
);

function unicodeClass(name: string): CharPredicate | undefined {
  if (name === 'Any') return () => true;
  let re: RegExp | undefined;
  // JavaScript's own Unicode property escapes decide membership (only legal topic characters are
  // ever asked, and their categories and scripts have not changed since RE2/J's tables).
  if (UNICODE_CATEGORIES.has(name)) re = new RegExp(`^\\p{gc=${name}}$`, 'u');
  else if (UNICODE_SCRIPTS.has(name)) re = new RegExp(`^\\p{Script=${name}}$`, 'u');
  if (!re) return undefined;
  const r = re;
  return (cp) => r.test(String.fromCodePoint(cp));
}

/** The code points a character folds to under (?i) (its simple case orbit, through upper and lower case). */
function caseOrbit(cp: number): number[] {
  const out = new Set([cp]);
  const todo = [cp];
  while (todo.length > 0) {
    const c = String.fromCodePoint(todo.pop()!);
    for (const o of [c.toLowerCase(), c.toUpperCase()]) {
      if ([...o].length !== 1) continue;
      const ocp = o.codePointAt(0)!;
      if (!out.has(ocp)) {
        out.add(ocp);
        todo.push(ocp);
      }
    }
  }
  // The two characters outside ASCII whose simple case folding is an ASCII letter: upper and lower
  // case do not lead from the letter back to them.
  if (out.has(0x6b)) out.add(0x212a); // KELVIN SIGN
  if (out.has(0x73)) out.add(0x17f); // LATIN SMALL LETTER LONG S
  return [...out];
}

/** The class as (?i) widens it: a character matches when anything in its orbit is in the class. */
function folded(p: CharPredicate, flags: Flags): CharPredicate {
  if (!flags.foldCase) return p;
  return (cp) => caseOrbit(cp).some(p);
}

/** The class as a JavaScript class over the legal topic characters. */
function emitClass(p: CharPredicate): string {
  let out = '';
  for (const cp of LEGAL_CODES) {
    if (!p(cp)) continue;
    const c = String.fromCodePoint(cp);
    out += c === '-' || c === '.' ? `\\${c}` : c;
  }
  return `[${out}]`;
}

/** One parsed operand of a concatenation, already in JavaScript form. */
interface Piece {
  js: string;
  /** Set when this piece is a repetition (RE2 refuses a repetition of a repetition: a**). */
  repeat: boolean;
}

class Parser {
  private pos = 0;
  private readonly names = new Set<string>();
  private readonly cps: number[];

  constructor(source: string) {
    this.cps = [...source].map((c) => c.codePointAt(0)!);
  }

  parse(): string {
    const js = this.alternation({ foldCase: false }, 0);
    if (this.pos < this.cps.length) {
      // An unmatched ')': RE2/J's parser finds its stack wrong and says so.
      throw new Re2SyntaxError(RE2_ERRORS.internal);
    }
    return js;
  }

  private peek(offset = 0): number | undefined {
    return this.cps[this.pos + offset];
  }

  private peekChar(offset = 0): string | undefined {
    const cp = this.peek(offset);
    return cp === undefined ? undefined : String.fromCodePoint(cp);
  }

  private rest(): string {
    return String.fromCodePoint(...this.cps.slice(this.pos));
  }

  /** Alternatives up to ')' (not consumed) or the end; `depth` > 0 inside a group. */
  private alternation(outer: Flags, depth: number): string {
    // Flags set by (?i) last to the end of the group, across '|'.
    const flags: Flags = { ...outer };
    const branches: string[] = [];
    let pieces: Piece[] = [];
    let lastWasRepeat = false;
    while (this.pos < this.cps.length) {
      const c = this.peekChar()!;
      if (c === ')') {
        if (depth === 0) break;
        break;
      }
      if (c === '|') {
        this.pos++;
        branches.push(pieces.map((p) => p.js).join(''));
        pieces = [];
        lastWasRepeat = false;
        continue;
      }
      if (c === '*' || c === '+' || c === '?') {
        this.pos++;
        if (this.peekChar() === '?') this.pos++; // non-greedy: the same names match
        this.applyRepeat(pieces, lastWasRepeat, c);
        lastWasRepeat = true;
        continue;
      }
      if (c === '{') {
        const rep = this.parseRepeatBraces();
        if (rep) {
          const [min, max] = rep;
          if (min < 0 || min > MAX_REPEAT || max > MAX_REPEAT || (max >= 0 && min > max)) {
            throw new Re2SyntaxError(RE2_ERRORS.repeatSize);
          }
          if (this.peekChar() === '?') this.pos++; // non-greedy
          this.applyRepeat(
            pieces,
            lastWasRepeat,
            max === -1 ? `{${min},}` : min === max ? `{${min}}` : `{${min},${max}}`,
          );
          lastWasRepeat = true;
          continue;
        }
        // Not a repetition: '{' is a literal. RE2/J 1.8 (unlike Go) still counts it as a repetition
        // operator for the next one: '{*', 'x{{2}' are refused as nested repetitions.
        this.pos++;
        pieces.push({ js: emitClass(folded(chars('{'), flags)), repeat: false });
        lastWasRepeat = true;
        continue;
      }
      lastWasRepeat = false;
      if (c === '(') {
        const piece = this.group(flags, depth);
        if (piece) pieces.push(piece);
        continue;
      }
      if (c === '[') {
        pieces.push({ js: emitClass(this.charClass(flags)), repeat: false });
        continue;
      }
      if (c === '.') {
        this.pos++;
        // Any character (but \n without (?s)): every legal topic character.
        pieces.push({ js: emitClass(() => true), repeat: false });
        continue;
      }
      if (c === '^' || c === '$') {
        this.pos++;
        // Begin/end of text or (with (?m)) of line: the same for a name without newlines. Wrapped,
        // because RE2 lets an assertion be repeated (^*) and JavaScript does not.
        pieces.push({ js: `(?:${c})`, repeat: false });
        continue;
      }
      if (c === '\\') {
        for (const p of this.escapeOutsideClass(flags)) pieces.push(p);
        continue;
      }
      this.pos++;
      pieces.push({ js: emitClass(folded(chars(c), flags)), repeat: false });
    }
    if (depth > 0 && this.pos >= this.cps.length) throw new Re2SyntaxError(RE2_ERRORS.missingParen);
    branches.push(pieces.map((p) => p.js).join(''));
    return branches.join('|');
  }

  private applyRepeat(pieces: Piece[], lastWasRepeat: boolean, op: string): void {
    // Go's order: a stacked repetition first, then a missing operand.
    if (lastWasRepeat) throw new Re2SyntaxError(RE2_ERRORS.repeatOp);
    const last = pieces[pieces.length - 1];
    if (!last) throw new Re2SyntaxError(RE2_ERRORS.missingRepeatArgument);
    pieces[pieces.length - 1] = { js: `(?:${last.js})${op}`, repeat: true };
  }

  /** {n}, {n,}, {n,m} at pos; undefined (pos unchanged) when it is not one, and '{' is a literal. */
  private parseRepeatBraces(): [number, number] | undefined {
    const m = /^\{(\d+)(,(\d*))?\}/.exec(this.rest());
    if (!m) return undefined;
    const num = (s: string): number | undefined => {
      // Go's parseInt: no leading zeros (then it is no repetition); too many digits is out of range.
      if (s.length >= 2 && s[0] === '0') return undefined;
      if (s.length > 8) return -1;
      return Number(s);
    };
    const min = num(m[1]!);
    if (min === undefined) return undefined;
    let max = min;
    if (m[2] !== undefined) {
      if (m[3] === '') max = -1;
      else {
        const v = num(m[3]!);
        if (v === undefined) return undefined;
        max = v;
        if (v === -1) {
          // out of range: reported as a bad count below
          this.pos += m[0].length;
          return [min, MAX_REPEAT + 1];
        }
      }
    }
    this.pos += m[0].length;
    return [min, max];
  }

  /** '(' at pos: a capture, (?:..), (?flags:..), (?flags) (undefined: nothing to add), (?P<name>..). */
  private group(flags: Flags, depth: number): Piece | undefined {
    this.pos++; // '('
    if (this.peekChar() !== '?') return this.groupBody(flags, depth);
    const rest = this.rest(); // starts with '?'
    // Named captures: (?P<name>re) and (?<name>re). RE2/J takes (?<=..) and (?<!..) for names too.
    if (rest.startsWith('?P<') || rest.startsWith('?<')) {
      const start = rest.startsWith('?P<') ? 3 : 2;
      const end = rest.indexOf('>');
      if (end < 0) throw new Re2SyntaxError(RE2_ERRORS.namedCapture);
      const name = rest.slice(start, end);
      if (name === '' || !/^[A-Za-z0-9_]+$/.test(name)) throw new Re2SyntaxError(RE2_ERRORS.namedCapture);
      if (this.names.has(name)) throw new Re2SyntaxError(RE2_ERRORS.duplicateName);
      this.names.add(name);
      this.pos += [...rest.slice(0, end + 1)].length;
      return this.groupBody(flags, depth);
    }
    // Flags: (?i) (?-i) (?i-s:re) ... ; i, m, s, U are RE2's.
    this.pos++; // '?'
    const next: Flags = { ...flags };
    let negated = false;
    let sawFlag = false;
    for (;;) {
      const c = this.peekChar();
      if (c === undefined) throw new Re2SyntaxError(RE2_ERRORS.perlOp);
      this.pos++;
      if (c === 'i' || c === 'm' || c === 's' || c === 'U') {
        if (c === 'i') next.foldCase = !negated;
        sawFlag = true;
        continue;
      }
      if (c === '-') {
        if (negated) throw new Re2SyntaxError(RE2_ERRORS.perlOp);
        negated = true;
        sawFlag = false;
        continue;
      }
      if (c === ':' || c === ')') {
        if (negated && !sawFlag) throw new Re2SyntaxError(RE2_ERRORS.perlOp);
        if (c === ')') {
          // (?flags): for the rest of the enclosing group.
          flags.foldCase = next.foldCase;
          return undefined;
        }
        return this.groupBody(next, depth);
      }
      // Lookahead (?=, (?!, comments (?#, atomic groups, ...: RE2 has none of them.
      throw new Re2SyntaxError(RE2_ERRORS.perlOp);
    }
  }

  private groupBody(flags: Flags, depth: number): Piece {
    const inner = this.alternation(flags, depth + 1);
    if (this.peekChar() !== ')') throw new Re2SyntaxError(RE2_ERRORS.missingParen);
    this.pos++;
    return { js: `(?:${inner})`, repeat: false };
  }

  /** '\' outside a class: assertions, \Q..\E, \p{..}, \d and friends, or one escaped character. */
  private escapeOutsideClass(flags: Flags): Piece[] {
    const c = this.peekChar(1);
    switch (c) {
      case 'A':
        this.pos += 2;
        return [{ js: '(?:^)', repeat: false }];
      case 'z':
        this.pos += 2;
        return [{ js: '(?:$)', repeat: false }];
      case 'b':
        this.pos += 2;
        return [{ js: '(?:\\b)', repeat: false }];
      case 'B':
        this.pos += 2;
        return [{ js: '(?:\\B)', repeat: false }];
      case 'C':
        throw new Re2SyntaxError(RE2_ERRORS.escape);
      case 'Q': {
        // Literal text up to \E or the end.
        this.pos += 2;
        const out: Piece[] = [];
        while (this.pos < this.cps.length) {
          if (this.peekChar() === '\\' && this.peekChar(1) === 'E') {
            this.pos += 2;
            break;
          }
          out.push({ js: emitClass(folded(chars(this.peekChar()!), flags)), repeat: false });
          this.pos++;
        }
        return out;
      }
    }
    const cls = this.classEscape(flags);
    if (cls) return [{ js: emitClass(cls), repeat: false }];
    const cp = this.singleEscape();
    return [{ js: emitClass(folded((x) => x === cp, flags)), repeat: false }];
  }

  /** \p{Name}, \pN, \P.., \d \D \s \S \w \W at pos (consumed), folded under (?i); else undefined. */
  private classEscape(flags: Flags): CharPredicate | undefined {
    const c = this.peekChar(1);
    if (c === 'p' || c === 'P') {
      this.pos += 2;
      let name: string;
      if (this.peekChar() === '{') {
        const rest = this.rest();
        const end = rest.indexOf('}');
        if (end < 0) throw new Re2SyntaxError(RE2_ERRORS.charRange);
        name = rest.slice(1, end);
        this.pos += [...rest.slice(0, end + 1)].length;
      } else {
        const one = this.peekChar();
        if (one === undefined) throw new Re2SyntaxError(RE2_ERRORS.charRange);
        name = one;
        this.pos++;
      }
      let negate = c === 'P';
      if (name.startsWith('^')) {
        negate = !negate;
        name = name.slice(1);
      }
      const p = unicodeClass(name);
      if (!p) throw new Re2SyntaxError(RE2_ERRORS.charRange);
      const f = folded(p, flags);
      return negate ? not(f) : f;
    }
    if (c !== undefined && PERL_CLASSES[c.toLowerCase()] && 'dDsSwW'.includes(c)) {
      this.pos += 2;
      const f = folded(PERL_CLASSES[c.toLowerCase()]!, flags);
      return c === c.toUpperCase() ? not(f) : f;
    }
    return undefined;
  }

  /** One escaped character (Go's parseEscape): octal, \x, \a\f\n\r\t\v, or escaped punctuation. */
  private singleEscape(): number {
    this.pos++; // '\'
    const c = this.peekChar();
    if (c === undefined) throw new Re2SyntaxError(RE2_ERRORS.trailingBackslash);
    this.pos++;
    const isOctal = (ch: string | undefined) => ch !== undefined && ch >= '0' && ch <= '7';
    if (c >= '1' && c <= '7' && !isOctal(this.peekChar())) {
      // \1 .. \7 alone is a backreference: RE2 has none.
      throw new Re2SyntaxError(RE2_ERRORS.escape);
    }
    if (c >= '0' && c <= '7') {
      let v = Number(c);
      for (let i = 1; i < 3 && isOctal(this.peekChar()); i++) {
        v = v * 8 + Number(this.peekChar());
        this.pos++;
      }
      return v;
    }
    if (c === 'x') {
      if (this.peekChar() === '{') {
        const rest = this.rest();
        const m = /^\{([0-9A-Fa-f]+)\}/.exec(rest);
        if (!m) throw new Re2SyntaxError(RE2_ERRORS.escape);
        const v = Number.parseInt(m[1]!, 16);
        if (m[1]!.length > 8 || v > 0x10ffff) throw new Re2SyntaxError(RE2_ERRORS.escape);
        this.pos += m[0].length;
        return v;
      }
      const m = /^[0-9A-Fa-f]{2}/.exec(this.rest());
      if (!m) throw new Re2SyntaxError(RE2_ERRORS.escape);
      this.pos += 2;
      return Number.parseInt(m[0], 16);
    }
    const simple: Record<string, number> = { a: 7, f: 12, n: 10, r: 13, t: 9, v: 11 };
    if (simple[c] !== undefined) return simple[c]!;
    const cp = c.codePointAt(0)!;
    // Any other ASCII punctuation stands for itself; letters, digits and non-ASCII do not.
    if (cp < 0x80 && !/[A-Za-z0-9]/.test(c)) return cp;
    throw new Re2SyntaxError(RE2_ERRORS.escape);
  }

  /** '[' at pos: a bracketed class (Go's parseClass, Perl mode). */
  private charClass(flags: Flags): CharPredicate {
    this.pos++; // '['
    let negate = false;
    if (this.peekChar() === '^') {
      negate = true;
      this.pos++;
    }
    const parts: CharPredicate[] = [];
    let first = true; // ']' is a literal as the first character
    for (;;) {
      const c = this.peekChar();
      if (c === undefined) throw new Re2SyntaxError(RE2_ERRORS.missingBracket);
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === '[' && this.peekChar(1) === ':') {
        const rest = this.rest();
        const end = rest.indexOf(':]', 2);
        if (end >= 0) {
          let name = rest.slice(2, end);
          let neg = false;
          if (name.startsWith('^')) {
            neg = true;
            name = name.slice(1);
          }
          const p = POSIX_CLASSES[name];
          if (!p || !Object.hasOwn(POSIX_CLASSES, name)) throw new Re2SyntaxError(RE2_ERRORS.charRange);
          const f = folded(p, flags);
          parts.push(neg ? not(f) : f);
          this.pos += [...rest.slice(0, end + 2)].length;
          continue;
        }
      }
      if (c === '\\') {
        const cls = this.classEscape(flags);
        if (cls) {
          parts.push(cls);
          continue;
        }
      }
      const lo = this.classChar();
      let hi = lo;
      if (this.peekChar() === '-' && this.peek(1) !== undefined && this.peekChar(1) !== ']') {
        this.pos++;
        hi = this.classChar();
        if (hi < lo) throw new Re2SyntaxError(RE2_ERRORS.charRange);
      }
      parts.push(folded(range(lo, hi), flags));
    }
    const all = anyOf(...parts);
    return negate ? not(all) : all;
  }

  /** One class character: an escape (Go's parseEscape, so no \b or \Q here) or itself. */
  private classChar(): number {
    const c = this.peekChar();
    if (c === undefined) throw new Re2SyntaxError(RE2_ERRORS.missingBracket);
    if (c === '\\') return this.singleEscape();
    this.pos++;
    return c.codePointAt(0)!;
  }
}

/** A compiled subscribedTopicRegex: `matches(topic)` as RE2/J's Matcher.matches(). */
export interface TopicRegex {
  readonly source: string;
  /** The JavaScript RegExp the parse became (anchored: the whole name). */
  readonly js: RegExp;
  matches(topic: string): boolean;
}

/** Compiles as RE2/J's Pattern.compile; throws Re2SyntaxError with RE2/J's description. */
export function compileTopicRegex(source: string): TopicRegex {
  const body = new Parser(source).parse();
  const js = new RegExp(`^(?:${body})$`);
  return { source, js, matches: (topic) => js.test(topic) };
}
