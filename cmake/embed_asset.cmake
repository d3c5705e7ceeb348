# Embeds a text file in C++: writes OUTPUT, a header defining
#   inline constexpr unsigned char NAME[] = {...bytes..., 0};
# from INPUT, byte for byte. Run as
#   cmake -DINPUT=FILE -DOUTPUT=HEADER -DNAME=kName -P embed_asset.cmake
# (rig_embed_asset in runtime/report/CMakeLists.txt wires it as a build step).
file(READ "${INPUT}" hex HEX)
# Sixteen bytes a line (CMake regexes have no {n}: 32 dots).
string(REGEX REPLACE "(................................)" "\\1\n    " hex
       "${hex}")
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${hex}")
file(WRITE "${OUTPUT}.tmp"
"// Generated at build time from ${INPUT} by cmake/embed_asset.cmake: edit
// the asset, not this file.
#pragma once
inline constexpr unsigned char ${NAME}[] = {
    ${bytes}0};
")
# Only a changed asset touches the header (and recompiles its users).
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
