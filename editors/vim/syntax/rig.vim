" Vim syntax for rig specs (docs/language.md).
if exists('b:current_syntax') | finish | endif

syn keyword rigDecl import as let fn node module param use test subtest
syn keyword rigStatement expect eventually return
syn keyword rigConditional if then else
syn keyword rigRepeat for in
syn keyword rigOperator and or not
syn keyword rigBoolean true false
syn keyword rigNull null

syn match rigNumber "\<\d[0-9_]*\(\.\d[0-9_]*\)\=\([eE][+-]\=\d[0-9_]*\)\=\(ms\|s\|m\|h\|d\|B\|KiB\|MiB\|GiB\|TiB\|KB\|MB\|GB\|TB\)\=\>"
syn match rigNumber "\<0[xX][0-9A-Fa-f_]\+\>"
syn match rigComment "#.*$" contains=rigTodo
syn keyword rigTodo TODO FIXME XXX contained

syn match rigEscape "\\\(u{\x\+}\|.\)" contained
syn region rigInterp matchgroup=rigInterpDelim start="\${" end="}" contained contains=TOP
" Of items starting at the same place the last defined wins: the triple
" forms come after the single ones. Raw strings have no escapes.
syn region rigString start=+"+ skip=+\\\\\|\\"+ end=+"+ end=+$+ contains=rigEscape,rigInterp
syn region rigTString start=+"""+ end=+"""+ contains=rigEscape,rigInterp
syn region rigRawString start=+\<r"+ end=+"+ end=+$+ contains=rigInterp
syn region rigRawTString start=+\<r"""+ end=+"""+ contains=rigInterp

syn match rigFunction "\<\h\w*\ze("
syn match rigMethod "\.\zs\h\w*\ze("

hi def link rigDecl Keyword
hi def link rigStatement Statement
hi def link rigConditional Conditional
hi def link rigRepeat Repeat
hi def link rigOperator Operator
hi def link rigBoolean Boolean
hi def link rigNull Constant
hi def link rigNumber Number
hi def link rigComment Comment
hi def link rigTodo Todo
hi def link rigString String
hi def link rigTString String
hi def link rigRawString String
hi def link rigRawTString String
hi def link rigEscape SpecialChar
hi def link rigInterpDelim Delimiter
hi def link rigFunction Function
hi def link rigMethod Function

" Triple-quoted strings span lines: parse from the top (specs are short).
syn sync fromstart

let b:current_syntax = 'rig'
