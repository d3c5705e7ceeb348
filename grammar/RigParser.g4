// The rig parser. See grammar/README.md for the design choices; the rules are
// left-factored so that an error names what was expected after a word
// (`expected '=', a label or '{' after 'memory'`).
parser grammar RigParser;

options { tokenVocab = RigLexer; }

@parser::members {
  // The newline rule: a postfix `(` or `[` applies to the expression before
  // it only when it starts on the same line as that expression's last token.
  bool sameLine() {
    antlr4::Token* prev = _input->LT(-1);
    antlr4::Token* next = _input->LT(1);
    return prev == nullptr || prev->getLine() == next->getLine();
  }
  // `eventually { ... }`: a `{` starts the body, not an object literal.
  bool notLBrace() { return _input->LA(1) != RigParser::LBRACE; }
  // Keywords the file has used as a name (`for node in ...`): the binding is
  // reported once (the transform does) and later uses of the word parse as
  // a name, so one mistake gives one error, not one per use.
  std::vector<size_t> boundKeywords;
  void bindKeyword(antlr4::Token* t) {
    if (t != nullptr) boundKeywords.push_back(t->getType());
  }
  // `parallel` and `branch` are words, not keywords (a spec may name a
  // variable `branch`): they start their statements only where one fits.
  bool isWord(const char* word) { return _input->LT(1)->getText() == word; }
  // `node.name`, `node.address`: in a node or module body, the node it
  // configures (the checker says where else it is unknown).
  bool boundKeyword() const {
    size_t type = _input->LA(1);
    if (type == RigParser::NODE && _input->LA(2) == RigParser::DOT)
      return true;
    for (size_t k : boundKeywords)
      if (k == type) return true;
    return false;
  }
}

file: topItem* EOF;

// What `rig repl` reads: statements, as in a test body.
replInput: stmt* EOF;

topItem
  : importDecl
  | letDecl
  | fnDecl
  | moduleDecl
  | nodeDecl
  | testDecl
  | metaDecl
  | SEMI
  ;

importDecl: IMPORT string (AS IDENT)?;
letDecl: LET bindName ASSIGN expr;
fnDecl: FN bindName LPAREN fnParams? RPAREN block;
fnParams: fnParam (COMMA fnParam)* COMMA?;
fnParam: bindName (ASSIGN expr)?;
moduleDecl: MODULE IDENT body;
nodeDecl: NODE IDENT body;
testDecl: TEST string block;
// `meta { ... }` and `prepare "NAME" { ... }` (a prepare step nodes share):
// neither word is a keyword; the transform checks the word.
metaDecl: IDENT string? body;

// ---- Node and module bodies -------------------------------------------------
body: LBRACE bodyItem* RBRACE;

bodyItem
  : IDENT bodyItemRest                                # attrOrBlock
  | USE IDENT (DOT IDENT)* body?                      # useItem
  | PARAM IDENT (COLON IDENT)? (ASSIGN expr)?         # paramItem
  | SEMI                                              # emptyItem
  ;

bodyItemRest
  : ASSIGN expr             # attrRest
  | DROP_ASSIGN expr        # dropRest
  | string labelRest        # labelledBlockRest
  | body                    # blockRest
  ;

labelRest
  : ASSIGN expr
  | body
  ;

// ---- Statements -------------------------------------------------------------
block: LBRACE stmt* RBRACE;

stmt
  : LET bindName ASSIGN expr                     # letStmt
  | EXPECT expr (COMMA expr)?                    # expectStmt
  | ifStmt                                       # ifStmtAlt
  | FOR bindName IN expr block                   # forStmt
  | SUBTEST string block                         # subtestStmt
  | EVENTUALLY ({notLBrace()}? expr)? block      # eventuallyStmt
  | RETURN ({sameLine()}? expr)?                 # returnStmt
  | {isWord("parallel")}? IDENT LBRACE branch* RBRACE  # parallelStmt
  | SEMI                                         # emptyStmt
  | expr                                         # exprStmt
  ;

ifStmt: IF expr block (ELSE (ifStmt | block))?;

// One branch of `parallel { ... }`, optionally named.
branch: {isWord("branch")}? IDENT string? block;

// ---- Expressions (highest precedence first) ---------------------------------
expr
  : expr {sameLine()}? LPAREN args? RPAREN                       # callExpr
  | expr {sameLine()}? LBRACK expr RBRACK                        # indexExpr
  | expr DOT fieldName                                           # memberExpr
  | MINUS expr                                                   # negExpr
  | expr op=(STAR | SLASH | PERCENT) expr                        # mulExpr
  | expr op=(PLUS | MINUS) expr                                  # addExpr
  | expr (op=(EQ | NE | LT | LE | GT | GE | MATCH | NOMATCH | IN) | NOT IN) expr  # cmpExpr
  | NOT expr                                                     # notExpr
  | expr AND expr                                                # andExpr
  | expr OR expr                                                 # orExpr
  | IF expr THEN expr ELSE expr                                  # ifExpr
  | NUMBER                                                       # numberExpr
  | (TRUE | FALSE)                                               # boolExpr
  | NULL_                                                        # nullExpr
  | string                                                       # stringExpr
  | IDENT                                                        # identExpr
  | {boundKeyword()}? nameKeyword                                # keywordIdentExpr
  | LBRACK FOR bindName IN expr (IF expr)? COLON expr RBRACK      # listForExpr
  | LBRACK (expr (COMMA expr)* COMMA?)? RBRACK                   # listExpr
  | LBRACE (objectEntry (COMMA objectEntry)* COMMA?)? RBRACE     # objectExpr
  | LPAREN expr RPAREN                                           # parenExpr
  ;

args: arg (COMMA arg)* COMMA?;
arg: (IDENT ASSIGN)? expr;

objectEntry: (fieldName | string) COLON expr;

// A name that a declaration or statement binds. A keyword here is a mistake
// the transform reports (`node` is a keyword, with a suggested name); the
// parse goes on as if it were a name.
bindName
  : IDENT
  | k=nameKeyword {bindKeyword($k.start);}
  ;

// The keywords a test writer reaches for as names. Left out: `in` (`for in
// x` would be ambiguous), the words that start a statement or an
// expression, which could not be read back as names, and `then` and `else`,
// whose place after an expression keeps their syntax errors precise.
nameKeyword
  : IMPORT | AS | FN | NODE | MODULE | PARAM | USE | TEST
  ;

// After `.` and as an object key any word is a name, keywords included:
// JSON answers have fields like `test`, `node` or `in`.
fieldName
  : IDENT | IMPORT | AS | LET | FN | NODE | MODULE | PARAM | USE | TEST
  | SUBTEST | EXPECT | EVENTUALLY | IF | THEN | ELSE | FOR | IN | RETURN
  | TRUE | FALSE | NULL_ | AND | OR | NOT
  ;

// A "..." string ends at its closing quote or, unterminated, at the end of
// the line (STR_NEWLINE). The lexer ends every enclosing "..." string and
// interpolation at that line break, so the token can also end an
// interpolation, and the strings around it then have no end token at all.
string
  : STR_OPEN stringPart* (STR_CLOSE | STR_NEWLINE)?
  | TSTR_OPEN tstringPart* TSTR_CLOSE
  ;

stringPart
  : STR_TEXT
  | STR_ESCAPE
  | STR_DOLLAR
  | STR_INTERP expr (RBRACE | STR_NEWLINE)
  ;

tstringPart
  : TSTR_TEXT
  | TSTR_QUOTE
  | TSTR_ESCAPE
  | TSTR_DOLLAR
  | TSTR_INTERP expr RBRACE
  ;
