" rig: comments start with #, two-space indentation (docs/fmt.md).
if exists('b:did_ftplugin') | finish | endif
let b:did_ftplugin = 1
setlocal commentstring=#\ %s comments=:#
setlocal expandtab shiftwidth=2 softtabstop=2
" `gq` and :RigFmt format the buffer with rig fmt.
setlocal formatprg=rig\ fmt\ -
command! -buffer RigFmt %!rig fmt -
let b:undo_ftplugin = 'setlocal commentstring< comments< expandtab< shiftwidth< softtabstop< formatprg<'
