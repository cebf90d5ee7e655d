# Word lists as data files, compiled into the library.
#
# Included from a CMakeLists.txt, this file defines
#
#   fb_embed_words(OUTPUT <file.c> NAME <array> INPUTS <list.txt>...)
#
# which adds a build step writing <file.c> from the lists, again whenever one
# of them (or this file) changes. Run as a script, it is that build step:
#
#   cmake -DOUTPUT=<file.c> -DNAME=<array> -P embed_words.cmake <list.txt>...
#
# A list holds one word a line, in UTF-8; blanks around a word are dropped,
# blank lines and lines whose first character is # are comments, a word with
# a blank or a control character inside is an error. The generated file
# defines
#
#   const char *const <array>[];      the words, NUL-terminated, each once,
#                                     sorted by their bytes (unsigned), so
#                                     that a binary search with memcmp finds them
#   const uint64_t <array>_keys[];    the first 8 bytes of each word as a
#                                     big-endian number, zero-padded: the
#                                     same order, so a search compares
#                                     integers and checks the words it lands on
#   const size_t <array>_count;       how many
#   const size_t <array>_max_len;     the longest word's length in bytes
#
# with every byte written as a \x escape, so the C source is plain ASCII
# whatever the words are. Declare them extern where they are used.

if(NOT CMAKE_SCRIPT_MODE_FILE)
  set(FB__EMBED_WORDS_SCRIPT ${CMAKE_CURRENT_LIST_FILE})
  function(fb_embed_words)
    cmake_parse_arguments(ARG "" "OUTPUT;NAME" "INPUTS" ${ARGN})
    if(NOT ARG_OUTPUT OR NOT ARG_NAME OR NOT ARG_INPUTS)
      message(FATAL_ERROR "fb_embed_words: OUTPUT, NAME and INPUTS are required")
    endif()
    set(inputs "")
    foreach(f ${ARG_INPUTS})
      get_filename_component(f ${f} ABSOLUTE)
      list(APPEND inputs ${f})
    endforeach()
    string(REPLACE ";" ", " shown "${ARG_INPUTS}")
    add_custom_command(OUTPUT ${ARG_OUTPUT}
      COMMAND ${CMAKE_COMMAND} -DOUTPUT=${ARG_OUTPUT} -DNAME=${ARG_NAME}
        -P ${FB__EMBED_WORDS_SCRIPT} ${inputs}
      DEPENDS ${inputs} ${FB__EMBED_WORDS_SCRIPT}
      COMMENT "Embedding ${ARG_NAME} from ${shown}"
      VERBATIM)
  endfunction()
  return()
endif()

# ---------------------------------------------------------------- script mode
if(NOT OUTPUT OR NOT NAME)
  message(FATAL_ERROR "embed_words.cmake: -DOUTPUT=<file.c> and -DNAME=<array> are required")
endif()
if(NOT NAME MATCHES "^[A-Za-z_][A-Za-z0-9_]*$")
  message(FATAL_ERROR "embed_words.cmake: NAME '${NAME}' is not a C identifier")
endif()

# The inputs: the arguments after the script's own path.
set(inputs "")
set(after_script FALSE)
math(EXPR last "${CMAKE_ARGC} - 1")
foreach(i RANGE 1 ${last})
  set(arg "${CMAKE_ARGV${i}}")
  if(after_script)
    list(APPEND inputs "${arg}")
  elseif(arg STREQUAL "-P")
    math(EXPR script_index "${i} + 1")
  elseif(DEFINED script_index AND i EQUAL script_index)
    set(after_script TRUE)
  endif()
endforeach()
if(NOT inputs)
  message(FATAL_ERROR "embed_words.cmake: no word lists given")
endif()

# Words are kept as lower-case hex: comparing two such strings as ASCII
# compares the words' bytes as unsigned numbers, the order C's memcmp gives.
set(words "")
set(names "")
foreach(input ${inputs})
  get_filename_component(base ${input} NAME)
  list(APPEND names ${base})
  file(READ "${input}" hex HEX)
  string(TOLOWER "${hex}" hex)
  # One line per list element: split at each newline byte (0a), which can
  # only stand at an even offset of the hex text.
  string(REGEX MATCHALL ".." bytes "${hex}")
  set(line "")
  set(line_no 1)
  list(APPEND bytes "0a") # a last line without its newline
  foreach(b ${bytes})
    if(NOT b STREQUAL "0a")
      string(APPEND line "${b}")
      continue()
    endif()
    # Trim blanks (space 20, tab 09, carriage return 0d) at both ends, a pair at a time.
    while(line MATCHES "^(20|09|0d)")
      string(SUBSTRING "${line}" 2 -1 line)
    endwhile()
    while(line MATCHES "(20|09|0d)$")
      string(LENGTH "${line}" n)
      math(EXPR n "${n} - 2")
      string(SUBSTRING "${line}" 0 ${n} line)
    endwhile()
    if(NOT line STREQUAL "" AND NOT line MATCHES "^23") # 23: '#'
      string(REGEX MATCHALL ".." word_bytes "${line}")
      foreach(wb ${word_bytes})
        if(wb MATCHES "^[01]" OR wb STREQUAL "20" OR wb STREQUAL "7f")
          message(FATAL_ERROR "${input}:${line_no}: a word holds a blank or a control character (byte 0x${wb})")
        endif()
      endforeach()
      list(APPEND words "${line}")
    endif()
    set(line "")
    math(EXPR line_no "${line_no} + 1")
  endforeach()
endforeach()
if(NOT words)
  message(FATAL_ERROR "embed_words.cmake: ${inputs} hold no words")
endif()
list(REMOVE_DUPLICATES words)
list(SORT words)
list(LENGTH words count)
set(max_len 0)
foreach(w ${words})
  string(LENGTH "${w}" n)
  math(EXPR n "${n} / 2")
  if(n GREATER max_len)
    set(max_len ${n})
  endif()
endforeach()

string(REPLACE ";" ", " names "${names}")
set(out "/* Generated by cmake/embed_words.cmake from ${names}: do not edit. */\n")
string(APPEND out "#include <stddef.h>\n#include <stdint.h>\n\n")
string(APPEND out "extern const char *const ${NAME}[];\n")
string(APPEND out "extern const uint64_t ${NAME}_keys[];\n")
string(APPEND out "extern const size_t ${NAME}_count;\n")
string(APPEND out "extern const size_t ${NAME}_max_len;\n\n")
string(APPEND out "/* ${count} words, sorted by bytes. */\n")
string(APPEND out "const char *const ${NAME}[] = {\n")
foreach(w ${words})
  string(REGEX REPLACE "(..)" "\\\\x\\1" escaped "${w}")
  string(APPEND out "    \"${escaped}\",\n")
endforeach()
string(APPEND out "};\n\n")
string(APPEND out "const uint64_t ${NAME}_keys[] = {\n")
foreach(w ${words})
  string(SUBSTRING "${w}0000000000000000" 0 16 key)
  string(APPEND out "    UINT64_C(0x${key}),\n")
endforeach()
string(APPEND out "};\n\n")
string(APPEND out "const size_t ${NAME}_count = ${count};\n")
string(APPEND out "const size_t ${NAME}_max_len = ${max_len};\n")

file(WRITE "${OUTPUT}" "${out}")
