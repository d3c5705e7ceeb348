// The rig lexer. Generated into the build directory by grammar/CMakeLists.txt;
// see grammar/README.md for the design (string modes, newline rule).
lexer grammar RigLexer;

// ---- Keywords (before IDENT so they win on equal length) --------------------
IMPORT: 'import';
AS: 'as';
LET: 'let';
FN: 'fn';
NODE: 'node';
MODULE: 'module';
PARAM: 'param';
USE: 'use';
TEST: 'test';
SUBTEST: 'subtest';
EXPECT: 'expect';
EVENTUALLY: 'eventually';
IF: 'if';
THEN: 'then';
ELSE: 'else';
FOR: 'for';
IN: 'in';
RETURN: 'return';
TRUE: 'true';
FALSE: 'false';
NULL_: 'null';
AND: 'and';
OR: 'or';
NOT: 'not';

IDENT: [A-Za-z_] [A-Za-z0-9_]*;

// One token for every numeric literal: integers, hex, floats, durations and
// sizes. The parser decodes it, so a bad literal (`3sec`, `0xZZ`, `1_000_`)
// is one token with a precise message instead of a confusing token split.
NUMBER
  : '0' [xX] [0-9A-Za-z_]*
  | [0-9] [0-9_]* ('.' [0-9] [0-9_]*)? ([eE] [+-]? [0-9] [0-9_]*)? [A-Za-z_] [A-Za-z0-9_]*
  | [0-9] [0-9_]* ('.' [0-9] [0-9_]*)? ([eE] [+-]? [0-9] [0-9_]*)?
  ;

// ---- Operators and punctuation ----------------------------------------------
EQ: '==';
NE: '!=';
LE: '<=';
GE: '>=';
LT: '<';
GT: '>';
MATCH: '=~';
NOMATCH: '!~';
ASSIGN: '=';
// `allow_tcp -= [80]` in a node body: drops what a module added.
DROP_ASSIGN: '-=';
PLUS: '+';
MINUS: '-';
STAR: '*';
SLASH: '/';
PERCENT: '%';
DOT: '.';
COMMA: ',';
COLON: ':';
SEMI: ';';
LPAREN: '(';
RPAREN: ')';
LBRACK: '[';
RBRACK: ']';
// Braces keep a mode stack so that the `}` closing a `${` interpolation
// returns to the string it came from. RigLexerBase::popMode is safe on an
// empty stack: an unbalanced `}` stays an RBRACE token for the parser.
LBRACE: '{' -> pushMode(DEFAULT_MODE);
RBRACE: '}' -> popMode;

TSTR_OPEN: '"""' -> pushMode(TSTRING);
STR_OPEN: '"' -> pushMode(STRING);
// Raw strings r"..." and r"""...""": a backslash is text; `${...}` still
// interpolates. They produce the tokens of the plain forms (only the opening
// token's text differs), so the parser and the transform treat them alike;
// longest match makes `r"` win over the identifier `r`.
RTSTR_OPEN: 'r"""' -> type(TSTR_OPEN), pushMode(RTSTRING);
RSTR_OPEN: 'r"' -> type(STR_OPEN), pushMode(RSTRING);

// Newlines are insignificant but kept on the hidden channel: the parser
// looks at them to apply a postfix `(` or `[` only on the same line.
NEWLINE: '\r'? '\n' -> channel(HIDDEN);
WS: [ \t\f]+ -> channel(HIDDEN);
COMMENT: '#' ~[\r\n]* -> channel(HIDDEN);

// Anything else is one bad character; the parser reports it.
ERROR_CHAR: .;

// ---- "..." strings ----------------------------------------------------------
mode STRING;
STR_TEXT: ~["\\$\r\n]+ | '\r';  // a lone CR is text; CR LF ends the line
STR_ESCAPE: ESCAPE;
STR_DOLLAR: '$';
STR_INTERP: '${' -> pushMode(DEFAULT_MODE);
STR_CLOSE: '"' -> popMode;
// A line break ends an unterminated string so the next line lexes normally
// (compiler/parse's lexer subclass also ends the "..." strings and
// interpolations around it, and turns a line break inside the `${...}` of a
// "..." string into this token).
STR_NEWLINE: '\r'? '\n' -> popMode;

// ---- """...""" strings ------------------------------------------------------
mode TSTRING;
TSTR_CLOSE: '"""' -> popMode;
TSTR_TEXT: ~["\\$]+;
TSTR_QUOTE: '"';
TSTR_ESCAPE: ESCAPE;
TSTR_DOLLAR: '$';
TSTR_INTERP: '${' -> pushMode(DEFAULT_MODE);

// Any backslash sequence; the parser decodes it and reports unknown escapes.
fragment ESCAPE: '\\' ('u{' [0-9A-Za-z]* '}'? | ~[\r\n])?;

// ---- r"..." and r"""...""" strings: no escapes --------------------------------
mode RSTRING;
RSTR_TEXT: ~["$\r\n]+ -> type(STR_TEXT);
RSTR_DOLLAR: '$' -> type(STR_DOLLAR);
RSTR_INTERP: '${' -> type(STR_INTERP), pushMode(DEFAULT_MODE);
RSTR_CLOSE: '"' -> type(STR_CLOSE), popMode;
RSTR_NEWLINE: '\r'? '\n' -> type(STR_NEWLINE), popMode;

mode RTSTRING;
RTSTR_CLOSE: '"""' -> type(TSTR_CLOSE), popMode;
RTSTR_TEXT: ~["$]+ -> type(TSTR_TEXT);
RTSTR_QUOTE: '"' -> type(TSTR_QUOTE);
RTSTR_DOLLAR: '$' -> type(TSTR_DOLLAR);
RTSTR_INTERP: '${' -> type(TSTR_INTERP), pushMode(DEFAULT_MODE);
