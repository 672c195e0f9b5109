// Package engine compiles content classifier rules (package rules) into an
// Engine that finds personal data in string values, running each rule's
// regular expression only on the few windows of a value that can hold one
// of its matches, and finding exactly what running every rule over every
// value finds.
//
//	e, err := engine.Compile(rs,
//		engine.WithValidators(validate.Lookup),
//		engine.WithDetectors(personDetector),
//		engine.WithHooks(metrics))
//	...
//	findings, err := e.Scan(value, findings[:0])
//	if errors.Is(err, engine.ErrUnclassifiable) {
//		// redact the whole value
//	}
//
// # What a scan reports
//
// Engine and Naive (the reference: every rule over the whole value) share
// one definition, applied by the same code after the candidate spans:
//
//  1. Candidates: every non-overlapping leftmost-first match of each rule
//     in the value, as regexp2 (RE2 option) finds them one after the other
//     from the start; the span is the rule's capture group (0: the whole
//     match). A group that did not take part, or is empty, gives nothing.
//     Detectors (WithDetectors) add their findings as candidates.
//  2. Validators: each of the rule's validators must accept the span text.
//  3. Context: the rule's context words are looked for in the
//     Context.EffectiveWindow() bytes before the span and after it (the
//     window is moved inwards to rune boundaries), as whole words (a word
//     boundary is required where the context word starts or ends with a
//     letter, digit or '_', judged on the whole value), comparing runes
//     under simple case folding (as strings.EqualFold and (?i) do). A deny
//     word drops the candidate; a word raises the score by the boost
//     (capped at 1); a required context without any word drops it.
//  4. Candidates scoring below the minimum score (WithMinScore, default
//     DefaultMinScore) are dropped; this applies to detectors too.
//  5. Overlap resolution: candidates are ordered by score (descending),
//     length (descending), rule priority (descending), start (ascending),
//     rule id (ascending) and, for otherwise identical candidates, type and
//     end; each in turn is accepted unless it overlaps one accepted before.
//     Findings come out sorted by start; they never overlap and are never
//     empty, and their offsets are UTF-8 byte offsets on rune boundaries.
//
// A rule whose pattern can match the empty string is refused at Compile.
//
// # How the engine avoids the work
//
// Compile analyses each pattern: from Go's regexp/syntax tree when Go
// accepts the pattern with regexp2's meaning (RuleInfo.RE2), otherwise from
// regexp2's own tree, where lookarounds count as zero-width and anything
// opaque is assumed the worst. Every property is sound (it over- or
// under-approximates in the safe direction):
//
//   - the alphabet: every byte that can occur in a match (a class with any
//     non-ASCII rune contributes every byte >= 0x80);
//   - the minimum length of a match in bytes;
//   - a trigger: bytes one of which every match contains, chosen as the
//     rarest by a static estimate of byte frequencies in text (a literal
//     gives its rarest byte, a concatenation its cheapest part's trigger,
//     an alternation the union of its branches', a repetition at least
//     once its body's); and, for each trigger byte, how many bytes of the
//     match at least come before and after it;
//   - counts: how many digits, letters, some punctuation bytes and bytes
//     of the trigger every match holds (a MAC address five of [-:]);
//   - required literals: strings one of which every match contains,
//     computed from finite sub-languages (a factored alternation such as
//     p(?:ass(?:word|code)|in) gives password, passcode and pin), compared
//     case-insensitively where the pattern is (?i) (a non-ASCII rune as
//     each member of its folding orbit: né as né or nÉ); where a part
//     meets the next, the strings that end the one followed by those that
//     start the other (a domain's "." and its top-level domain); up to
//     three such sets per rule, all required (a date and a keyword after
//     it); and the literals of a leading lookbehind;
//   - a core: a stretch of every match over a narrower alphabet, with its
//     minimum length and counts (a phone number's digits and separators,
//     without an optional hex prefix that widens the match's alphabet);
//   - the margins: how many runes before and after a match its assertions
//     (\b, ^, $, lookarounds) look at.
//
// A scan makes one pass over the value to see which trigger bytes occur
// and where, and, when a rule needs it, one pass that finds every rule's
// literals. A rule runs only on the maximal runs of its alphabet that
// contain one of its trigger bytes (at a position the bounds allow) or one
// of its literals, are long enough, hold enough of each counted class and
// hold a stretch that satisfies its core;
// and only when its gates pass: the value contains one of its required
// literals and, when its context words are required, one of them. The
// expression then runs on the run plus its margins, from the run's start.
// A value that holds no trigger byte of a rule costs that rule nothing.
//
// This finds exactly what the whole-value search finds. No match contains a
// byte outside the alphabet, so each match lies inside one run; a run
// starts and ends next to an ASCII byte, so the window decodes to the same
// runes as the value there; the margins hold everything the assertions
// look at, so whether a match exists at a position, and which one the
// leftmost-first order prefers, is the same in the window as in the value;
// and since matches cannot cross from one run into another, the successive
// matches of the value that fall in a run are the successive matches of the
// window. TestEngineEqualsNaive, FuzzEngineEqualsNaive and TestRandomRules
// (random patterns over random texts) check it.
//
// # Fallbacks
//
// A rule whose lookarounds are unbounded (such as (?<=key\s*:\s*)\S+) or
// that uses \G cannot run on windows: it runs on the whole value, when the
// value holds one of its trigger bytes (a trigger may come from a positive
// lookaround's content) and passes its gates, starting after the first
// literal of a leading lookbehind. A rule without a usable trigger (one
// that would fire on most text, such as \w{32,}) runs on every run of its
// alphabet in every value. RuleInfo.Prefilter says what each rule got.
//
// # Engines
//
// Windows are scanned with regexp2 (RE2 option) through FindRunesMatches,
// which allocates nothing. Go's regexp accepts a pattern only when it uses
// no backtracking feature and both engines give it the same meaning (see
// goRoute: \1-\9 escapes, class subtraction and the U flag are refused; a
// \b or \B pattern, whose word characters are ASCII for Go and Unicode for
// regexp2, is only screened on ASCII windows). With WithRE2Screen, Go's
// regexp screens each window of those rules in linear time and regexp2
// only runs on the windows where Go found a match. This is off by default
// because on windows this small regexp2 alone measured faster (its prefix
// search skips most windows in tens of nanoseconds; Go's backtracker and
// NFA cost a few hundred): see BenchmarkScan/*/engine-re2screen.
//
// # Timeouts
//
// Each regexp2 search (one window of one rule) has WithMatchTimeout
// (default DefaultMatchTimeout) and regexp2's backtracking stack limit. A
// rule that hits either makes the value unclassifiable: Scan returns dst
// unchanged and an *UnclassifiableError (errors.Is ErrUnclassifiable)
// naming the rule, Hooks.OnTimeout is called, and the caller must treat
// the whole value as personal data. The error never quotes the value.
// regexp2 checks its clock about every 100ms, so a timeout fires between
// the timeout and the timeout plus about 200ms; on an overloaded machine
// it can fire on a search that was only descheduled.
//
// # Allocation and concurrency
//
// An Engine is immutable and safe for concurrent use. Per-scan memory comes
// from a sync.Pool: once it has grown to the values seen, Scan allocates
// nothing, with or without findings (TestScanAllocations), other than
// growing dst when it lacks capacity. Validators and detectors may
// allocate on their own account, and must be safe for concurrent use.
//
// # Writing rules that scan fast
//
//   - Keep spaces out of a pattern's alphabet where the entity allows it: a
//     class or a separator that includes ' ' (or \s, or a negated class)
//     makes the runs whole sentences instead of words.
//   - Give every pattern a rare required byte or literal (@, ://, a fixed
//     prefix such as AKIA, a keyword): rules anchored on common bytes
//     (digits, capitals, '.') run on many windows.
//   - Bound lookbehinds and lookaheads ((?<=\bpin\s{0,3}:)); unbounded ones
//     send the rule to the whole value. A capture group (Rule.Group) around
//     the entity after a literal keyword is cheaper still.
//   - Avoid nested unbounded quantifiers over overlapping classes
//     ((\w+\s?)+): they risk timeouts, and the whole value is then redacted.
//   - Use context.required for rules that mean nothing without their
//     words (a bare 5-digit postal code): the words then gate the rule.
//   - ^ and $ anchor to the value, not to a line; (?m) for lines.
package engine
