" rig specs: *.rig
autocmd BufRead,BufNewFile *.rig setfiletype rig
