import Testing
@testable import Jinja

/// The lexer: newlines, whitespace control, raw blocks, comments, literals and locations.
@Suite struct LexerTests {
    static func tokens(_ text: String, _ options: SyntaxOptions = SyntaxOptions()) -> [Token] {
        Lexer.tokenize(TemplateSource(name: "t", text: text), options: options).tokens
    }

    static func text(_ text: String, _ options: SyntaxOptions = SyntaxOptions()) throws -> String {
        Canon.body(try parseOnly(text, options))
    }

    // MARK: Whitespace control, checked against Jinja2

    /// The option sets of the expectations below, in order.
    static let optionSets: [SyntaxOptions] = [
        SyntaxOptions(trimBlocks: false, lstripBlocks: false, keepTrailingNewline: true),
        SyntaxOptions(trimBlocks: true, lstripBlocks: false, keepTrailingNewline: true),
        SyntaxOptions(trimBlocks: false, lstripBlocks: true, keepTrailingNewline: true),
        SyntaxOptions(trimBlocks: true, lstripBlocks: true, keepTrailingNewline: true),
        SyntaxOptions(trimBlocks: false, lstripBlocks: false, keepTrailingNewline: false),
        SyntaxOptions(trimBlocks: true, lstripBlocks: true, keepTrailingNewline: false),
    ]

    /// Each template with what Jinja2 3.1.6 parses it to under each of `optionSets`.
    static let whitespace: [(String, [String])] = [
        ("{% if x %}\n  a\n{% endif %}\n", ["[if(x; [text('\\n  a\\n')]), text('\\n')]", "[if(x; [text('  a\\n')])]", "[if(x; [text('\\n  a\\n')]), text('\\n')]", "[if(x; [text('  a\\n')])]", "[if(x; [text('\\n  a\\n')])]", "[if(x; [text('  a\\n')])]"]),
        ("  {% if x %}\n  a\n  {% endif %}  \nb", ["[text('  '), if(x; [text('\\n  a\\n  ')]), text('  \\nb')]", "[text('  '), if(x; [text('  a\\n  ')]), text('  \\nb')]", "[if(x; [text('\\n  a\\n')]), text('  \\nb')]", "[if(x; [text('  a\\n')]), text('  \\nb')]", "[text('  '), if(x; [text('\\n  a\\n  ')]), text('  \\nb')]", "[if(x; [text('  a\\n')]), text('  \\nb')]"]),
        ("\t{# c #}\nx", ["[text('\\t\\nx')]", "[text('\\tx')]", "[text('\\nx')]", "[text('x')]", "[text('\\t\\nx')]", "[text('x')]"]),
        ("  {%+ if x %}a{% endif %}", ["[text('  '), if(x; [text('a')])]", "[text('  '), if(x; [text('a')])]", "[text('  '), if(x; [text('a')])]", "[text('  '), if(x; [text('a')])]", "[text('  '), if(x; [text('a')])]", "[text('  '), if(x; [text('a')])]"]),
        ("  {{ x }}\n", ["[text('  '), out(x), text('\\n')]", "[text('  '), out(x), text('\\n')]", "[text('  '), out(x), text('\\n')]", "[text('  '), out(x), text('\\n')]", "[text('  '), out(x)]", "[text('  '), out(x)]"]),
        ("{% raw %}\n  a\n  {% endraw %}\nb", ["[text('\\n  a\\n  \\nb')]", "[text('\\n  a\\n  b')]", "[text('\\n  a\\n\\nb')]", "[text('\\n  a\\nb')]", "[text('\\n  a\\n  \\nb')]", "[text('\\n  a\\nb')]"]),
        ("a\n  {%- if x %}b{% endif %}", ["[text('a'), if(x; [text('b')])]", "[text('a'), if(x; [text('b')])]", "[text('a'), if(x; [text('b')])]", "[text('a'), if(x; [text('b')])]", "[text('a'), if(x; [text('b')])]", "[text('a'), if(x; [text('b')])]"]),
        ("{% if x -%}\n\n  a{%- endif %}", ["[if(x; [text('a')])]", "[if(x; [text('a')])]", "[if(x; [text('a')])]", "[if(x; [text('a')])]", "[if(x; [text('a')])]", "[if(x; [text('a')])]"]),
        ("a\r\nb\rc\n", ["[text('a\\nb\\nc\\n')]", "[text('a\\nb\\nc\\n')]", "[text('a\\nb\\nc\\n')]", "[text('a\\nb\\nc\\n')]", "[text('a\\nb\\nc')]", "[text('a\\nb\\nc')]"]),
        ("a\n\n", ["[text('a\\n\\n')]", "[text('a\\n\\n')]", "[text('a\\n\\n')]", "[text('a\\n\\n')]", "[text('a\\n')]", "[text('a\\n')]"]),
        ("{% if x %}\r\n  y\r\n{% endif %}\r\n", ["[if(x; [text('\\n  y\\n')]), text('\\n')]", "[if(x; [text('  y\\n')])]", "[if(x; [text('\\n  y\\n')]), text('\\n')]", "[if(x; [text('  y\\n')])]", "[if(x; [text('\\n  y\\n')])]", "[if(x; [text('  y\\n')])]"]),
        ("{% if a +%}\nx{% endif %}", ["[if(a; [text('\\nx')])]", "[if(a; [text('\\nx')])]", "[if(a; [text('\\nx')])]", "[if(a; [text('\\nx')])]", "[if(a; [text('\\nx')])]", "[if(a; [text('\\nx')])]"]),
        ("  {%+ if a -%}  x{% endif %}", ["[text('  '), if(a; [text('x')])]", "[text('  '), if(a; [text('x')])]", "[text('  '), if(a; [text('x')])]", "[text('  '), if(a; [text('x')])]", "[text('  '), if(a; [text('x')])]", "[text('  '), if(a; [text('x')])]"]),
        ("{{ x }}\n  {% if y %}\n{% endif %}", ["[out(x), text('\\n  '), if(y; [text('\\n')])]", "[out(x), text('\\n  '), if(y; [])]", "[out(x), text('\\n'), if(y; [text('\\n')])]", "[out(x), text('\\n'), if(y; [])]", "[out(x), text('\\n  '), if(y; [text('\\n')])]", "[out(x), text('\\n'), if(y; [])]"]),
        ("{%- raw -%}\n  a\n  {%- endraw -%}\n b", ["[text('ab')]", "[text('ab')]", "[text('ab')]", "[text('ab')]", "[text('ab')]", "[text('ab')]"]),
        ("{% raw %}{% endraw +%}\nx", ["[text('\\nx')]", "[text('\\nx')]", "[text('\\nx')]", "[text('\\nx')]", "[text('\\nx')]", "[text('\\nx')]"]),
        ("  \u{a0}{% if a %}x{% endif %}", ["[text('  \\xa0'), if(a; [text('x')])]", "[text('  \\xa0'), if(a; [text('x')])]", "[if(a; [text('x')])]", "[if(a; [text('x')])]", "[text('  \\xa0'), if(a; [text('x')])]", "[if(a; [text('x')])]"]),
        ("a\u{3000}{%- if a %}x{% endif %}", ["[text('a'), if(a; [text('x')])]", "[text('a'), if(a; [text('x')])]", "[text('a'), if(a; [text('x')])]", "[text('a'), if(a; [text('x')])]", "[text('a'), if(a; [text('x')])]", "[text('a'), if(a; [text('x')])]"]),
        ("a {#- c -#}\n b", ["[text('ab')]", "[text('ab')]", "[text('ab')]", "[text('ab')]", "[text('ab')]", "[text('ab')]"]),
        ("{{ x -}}  \n y", ["[out(x), text('y')]", "[out(x), text('y')]", "[out(x), text('y')]", "[out(x), text('y')]", "[out(x), text('y')]", "[out(x), text('y')]"]),
        ("{% for a in b %}\n    {% if a %}\n        {{ a }}\n    {% endif %}\n{% endfor %}\n", ["[for(a in b; [text('\\n    '), if(a; [text('\\n        '), out(a), text('\\n    ')]), text('\\n')]), text('\\n')]", "[for(a in b; [text('    '), if(a; [text('        '), out(a), text('\\n    ')])])]", "[for(a in b; [text('\\n'), if(a; [text('\\n        '), out(a), text('\\n')]), text('\\n')]), text('\\n')]", "[for(a in b; [if(a; [text('        '), out(a), text('\\n')])])]", "[for(a in b; [text('\\n    '), if(a; [text('\\n        '), out(a), text('\\n    ')]), text('\\n')])]", "[for(a in b; [if(a; [text('        '), out(a), text('\\n')])])]"])
    ]

    @Test(arguments: LexerTests.whitespace)
    func whitespaceControlMatchesJinja2(source: String, expected: [String]) throws {
        for (options, expectation) in zip(LexerTests.optionSets, expected) {
            #expect(try LexerTests.text(source, options) == expectation,
                    "trim \(options.trimBlocks) lstrip \(options.lstripBlocks) keep \(options.keepTrailingNewline)")
        }
    }

    @Test func minusStripsAllWhitespaceOnItsSide() throws {
        #expect(try LexerTests.text("a  \n {{- x -}} \n  b") == "[text('a'), out(x), text('b')]")
        #expect(try LexerTests.text("a \n{%- if x -%}\n b {%- endif %}") == "[text('a'), if(x; [text('b')])]")
        #expect(try LexerTests.text("a {#- note -#} b") == "[text('ab')]")
        // `{{-1}}` is `{{-` then `1`, as in Jinja2.
        #expect(try LexerTests.text("a {{-1}}") == "[text('a'), out(1)]")
    }

    @Test func plusKeepsLeadingWhitespaceUnderLstrip() throws {
        let lstrip = SyntaxOptions(lstripBlocks: true)
        #expect(try LexerTests.text("  {% if x %}y{% endif %}", lstrip) == "[if(x; [text('y')])]")
        #expect(try LexerTests.text("  {%+ if x %}y{% endif %}", lstrip) == "[text('  '), if(x; [text('y')])]")
        // lstrip leaves text before the tag on the same line alone, and never touches `{{ }}`.
        #expect(try LexerTests.text("a {% if x %}y{% endif %}", lstrip) == "[text('a '), if(x; [text('y')])]")
        #expect(try LexerTests.text("  {{ x }}", lstrip) == "[text('  '), out(x)]")
    }

    @Test func trimBlocksAlsoTrimsAfterCommentsButNotAfterOutput() throws {
        let trim = SyntaxOptions(trimBlocks: true)
        #expect(try LexerTests.text("{% if x %}\ny{% endif %}\n", trim) == "[if(x; [text('y')])]")
        #expect(try LexerTests.text("{# note #}\ny", trim) == "[text('y')]")
        #expect(try LexerTests.text("{{ x }}\ny", trim) == "[out(x), text('\\ny')]")
        // Only one newline goes.
        #expect(try LexerTests.text("{% set a = 1 %}\n\ny", trim) == "[set(a = 1), text('\\ny')]")
    }

    // MARK: Newlines

    @Test func newlinesAreNormalized() throws {
        #expect(try LexerTests.text("a\r\nb\rc\n") == "[text('a\\nb\\nc\\n')]")
        #expect(try LexerTests.text("{{ 'x\r\ny' }}") == "[out('x\\ny')]")
        // `\r\n` is one line break for locations too.
        let error = templateError { try parseOnly("a\r\nb\r\n{{ ) }}") }
        #expect(error?.location == Jinja.SourceLocation(line: 3, column: 4))
    }

    @Test func oneTrailingNewlineIsDroppedUnlessKept() throws {
        let drop = SyntaxOptions(keepTrailingNewline: false)
        #expect(try LexerTests.text("a\n", drop) == "[text('a')]")
        #expect(try LexerTests.text("a\n\n", drop) == "[text('a\\n')]")
        #expect(try LexerTests.text("a\r\n", drop) == "[text('a')]")
        #expect(try LexerTests.text("a\n") == "[text('a\\n')]")
    }

    // MARK: Raw blocks and comments

    @Test func rawBlocksKeepTheirText() throws {
        #expect(try LexerTests.text("{% raw %}{{ x }}{% if %}{# c #}{% endraw %}") == "[text('{{ x }}{% if %}{# c #}')]")
        #expect(try LexerTests.text("a {%- raw -%} b {%- endraw -%} c") == "[text('abc')]")
        #expect(try LexerTests.text("{%raw%}x{%endraw%}") == "[text('x')]")
        // A raw marker that is not followed by the tag end is an ordinary (unknown) tag.
        #expect(templateError { try parseOnly("{% raw x %}") }?.message == "Encountered unknown tag 'raw'.")
    }

    @Test func commentsVanish() throws {
        #expect(try LexerTests.text("a{# {{ x }} {% if %} #}b") == "[text('ab')]")
        #expect(try LexerTests.text("a{# one\ntwo #}b") == "[text('ab')]")
        // Like Jinja2, a comment opened at the very end of the template is dropped silently.
        #expect(try LexerTests.text("a{#") == "[text('a')]")
    }

    // MARK: Literals

    static let strings: [(String, String)] = [
        (#"'plain'"#, "plain"),
        (#""double""#, "double"),
        (#"'it\'s'"#, "it's"),
        (#""say \"hi\"""#, "say \"hi\""),
        (#"'a\nb\tc\\d'"#, "a\nb\tc\\d"),
        (#"'\x41\u00e9\U0001F600'"#, "Aé😀"),
        (#"'\101\60\0'"#, "A0\u{0}"),
        (#"'\d\q'"#, #"\d\q"#),
        (#"'\é'"#, #"\xe9"#),
        ("'line\\\ncontinued'", "linecontinued"),
        (#"'a' "b" 'c'"#, "abc"),
        ("'ü€😀'", "ü€😀"),
    ]

    @Test(arguments: LexerTests.strings)
    func stringLiteralsDecodePythonEscapes(source: String, expected: String) throws {
        let nodes = try parseOnly("{{ \(source) }}")
        guard case .output(.literal(.string(let value)), _)? = nodes.first else {
            Issue.record("not a string literal: \(Canon.body(nodes))")
            return
        }
        #expect(value == expected)
    }

    @Test func unsupportedEscapesAreClearErrors() {
        #expect(templateError { try parseOnly(#"{{ '\N{BULLET}' }}"#) }?.message
                == #"\N{...} escapes are not supported; write the character itself"#)
        #expect(templateError { try parseOnly(#"{{ '\ud800' }}"#) }?.message
                == "surrogate code points are not supported in string literals")
        #expect(templateError { try parseOnly(#"{{ '\U00110000' }}"#) }?.message == "illegal Unicode character")
        #expect(templateError { try parseOnly(#"{{ '\u12' }}"#) }?.message == #"truncated \uXXXX escape"#)
    }

    @Test func numbersFollowJinja2sRules() throws {
        #expect(try outputExpression("{{ 1_000_000 }}") == "1000000")
        #expect(try outputExpression("{{ 0b1010 }}") == "10")
        #expect(try outputExpression("{{ 0o777 }}") == "511")
        #expect(try outputExpression("{{ 0XfF }}") == "255")
        #expect(try outputExpression("{{ 1_0.2_5 }}") == "10.25")
        #expect(try outputExpression("{{ 2E-3 }}") == "0.002")
        // After a dot a number is an item index, never a float: `x.1.2` is `x[1][2]`.
        #expect(try outputExpression("{{ x.1.2 }}") == "item(item(x, 1), 2)")
        // Python's leading-zero rule: `007` is `0` followed by `07`.
        #expect(templateError { try parseOnly("{{ 007 }}") }?.message
                == "expected token 'end of print statement', got 'integer'")
        #expect(templateError { try parseOnly("{{ 99999999999999999999 }}") }?.message
                == "integer literal 99999999999999999999 is too large")
    }

    // MARK: Tokens and locations

    @Test func tokensCarryKindsAndValues() {
        let tokens = LexerTests.tokens("a{{ x.y|f(1) }}{% if %}")
        #expect(tokens.map(\.kind) == [.data, .variableBegin, .name, .dot, .name, .pipe, .name, .lparen, .integer,
                                        .rparen, .variableEnd, .blockBegin, .name, .blockEnd, .eof])
        #expect(tokens[0].text == "a")
        #expect(tokens[4].text == "y")
        #expect(tokens[8].int == 1)
    }

    @Test func operatorsTakeTheLongestMatch() {
        let kinds = LexerTests.tokens("{{ a // b ** c == d != e <= f >= g < h > i }}").map(\.kind)
        #expect(kinds == [.variableBegin, .name, .floorDiv, .name, .pow, .name, .eq, .name, .ne, .name, .lteq, .name,
                          .gteq, .name, .lt, .name, .gt, .name, .variableEnd, .eof])
    }

    @Test func columnsCountUnicodeScalars() {
        let tokens = LexerTests.tokens("é😀{{ x }}\n\tü {{ y }}")
        let names = tokens.filter { $0.kind == .name }
        #expect(names.map(\.location) == [Jinja.SourceLocation(line: 1, column: 6), Jinja.SourceLocation(line: 2, column: 7)])
    }

    @Test func unicodeIdentifiers() throws {
        #expect(try outputExpression("{{ größe + 名前 }}") == "add(größe, 名前)")
    }

    @Test func lexerErrorsBecomeATokenThatTheParserReports() {
        let output = Lexer.tokenize(TemplateSource(name: "t", text: "ok {{ a ! b }}"), options: SyntaxOptions())
        #expect(output.tokens.last?.kind == .lexError)
        #expect(output.error?.message == "unexpected char '!' at 8")
        #expect(output.error?.location == Jinja.SourceLocation(line: 1, column: 9))
    }
}
